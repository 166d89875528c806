/* Per-interface sysctls under /proc/sys/net (the daemon's network namespace). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "net/if_sysctl.h"

int if_sysctl_ipv6_disable(const char *ifname, bool off)
{
	char path[96];
	/* The name becomes a path: refuse anything that could leave the conf folder. */
	if (ifname == NULL || ifname[0] == '\0' || ifname[0] == '.' || strlen(ifname) >= 16 ||
	    strchr(ifname, '/') != NULL)
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, off ? "1" : "0", 1);
	int err = n == 1 ? 0 : (n < 0 ? -errno : -EIO);
	close(fd);
	return err;
}
