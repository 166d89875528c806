/*
 * Named IPv4 address pools (`set ippool add`, commands.md §8.7).
 * Allocation hands out the first free address in the order addresses
 * were added; alloc and free are O(log n) in the pool size.
 */
#ifndef MPD_NET_IPPOOL_H
#define MPD_NET_IPPOOL_H

#include <netinet/in.h>

#include "conf/cmd.h"

#define IPPOOL_NAME_MAX 15          /* characters of a pool name */
#define IPPOOL_RANGE_MAX 65536u     /* addresses per ippool_add call */
#define IPPOOL_SIZE_MAX (1u << 22)  /* addresses per pool, bounds memory */

/* All pools of the daemon (struct daemon's pools). */
struct ippool;

/* Create an empty pool set; NULL on OOM. */
struct ippool *ippool_new(void);
/* Free the set and every pool in it; NULL is ignored. */
void ippool_destroy(struct ippool *pools);
/*
 * Add first..last (inclusive, at most IPPOOL_RANGE_MAX addresses) to pool
 * `name`, creating it; addresses already in the pool are skipped. Returns
 * how many were added, or -ENAMETOOLONG (name empty or too long), -EINVAL
 * (first > last), -EDOM (0.0.0.0 or a multicast/reserved address in the
 * range), -E2BIG (range too big), -EFBIG (pool too big), -ENOMEM.
 * Nothing is added (and no pool created) on error.
 */
int ippool_add(struct ippool *pools, const char *name, struct in_addr first,
	       struct in_addr last);
/* Text for an ippool_add error code. */
const char *ippool_strerror(int err);
/* Take the first free address of pool `name`: 0, -ENOENT (no pool), -EADDRNOTAVAIL (exhausted). */
int ippool_alloc(struct ippool *pools, const char *name, struct in_addr *out);
/* Give addr back to pool `name`: 0, -ENOENT (no pool or not in it), -EALREADY (not allocated). */
int ippool_free(struct ippool *pools, const char *name, struct in_addr addr);
/* Used and total counts of pool `name`; -ENOENT when there is no such pool. */
int ippool_stat(const struct ippool *pools, const char *name, unsigned *used, unsigned *total);
/* Call fn for each pool in creation order (for `show ippool`). */
void ippool_foreach(const struct ippool *pools,
		    void (*fn)(const char *name, unsigned used, unsigned total, void *arg),
		    void *arg);

/* `set ippool ...` menu: `add {pool} {first} {last}` (admin, global). */
extern const struct cmd ippool_set_cmds[];
/* `show ippool` leaf handler: each pool with used/total counts (user, global). */
int ippool_cmd_show(struct cmd_ctx *c, int ac, char **av, const void *arg);

#endif
