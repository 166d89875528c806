/* Internal to iface/: what iface.c offers iface_demand.c and iface_cmds.c. */
#ifndef MPD_IFACE_LOCAL_H
#define MPD_IFACE_LOCAL_H

#include "iface/iface.h"

/* Put ifp->v4 on the interface with routes and the up-script; -1 on failure. */
int iface_v4_add(struct iface *ifp);
/* Take ifp->v4 off (down-script first, then routes and address). */
void iface_v4_del(struct iface *ifp);

#endif
