/*
 * The bundle's multilink glue (RFC 1990): the MP engine's owner callbacks,
 * the link slots it schedules over, and the checks a link must pass to
 * join a multilink bundle (commands.md §3.4). Internal to link/.
 */
#ifndef MPD_BUND_MP_H
#define MPD_BUND_MP_H

#include <stdbool.h>
#include <stdint.h>

struct bundle;
struct link;
struct pbuf;
struct cmd_ctx;

/* Smallest MRRU configured in the data path (commands.md §3.4 step 5). */
#define BUND_MP_MIN_MRRU 1500
/* Largest interface MTU with multilink (commands.md §11.1). */
#define BUND_MP_MAX_MTU 4096

/* True when link l negotiated multilink (MRRU both ways). */
bool bund_mp_link_ok(const struct link *l);
/* True when multilink bundle b takes link l: same peer discriminator, auth name and header formats. */
bool bund_mp_match(const struct bundle *b, const struct link *l);
/* Key of link l's multilink peer (discriminator, auth name) for the daemon's index of
 * multilink bundles; equal to bund_mp_key of every bundle bund_mp_match accepts it for. */
uint64_t bund_mp_link_key(const struct link *l);
/* Key of multilink bundle b's peer, for the same index. */
uint64_t bund_mp_key(const struct bundle *b);
/* The first link of b negotiated multilink: set up the engine from its LCP values; -1 on OOM. */
int bund_mp_start(struct bundle *b, struct link *first);
/* The last link left: drop the engine (deferred when called from inside it). */
void bund_mp_stop(struct bundle *b);
/* Give a joining link a slot and its bandwidth, latency and MRU to the engine; -1 when none is free. */
int bund_mp_join(struct bundle *b, struct link *l);
/* A link leaves: its slot is freed and reassembly stops waiting for it. */
void bund_mp_leave(struct bundle *b, struct link *l);
/* Interface MTU with multilink: the peer's MRRU, at most BUND_MP_MAX_MTU. */
unsigned bund_mp_mtu(const struct bundle *b);
/* Fragment and send a packet of protocol proto over the member links; consumes bf. */
void bund_mp_output(struct bundle *b, uint16_t proto, struct pbuf *bf);
/* An MP frame (data after protocol 0x003d) from link l; consumes bf. */
void bund_mp_input(struct bundle *b, struct link *l, struct pbuf *bf);
/* `show bundle`: MP parameters both ways, member links and engine counters. */
void bund_mp_show(struct cmd_ctx *c, const struct bundle *b);
/* `show link`: the link's MP counters while it is in a multilink bundle. */
void bund_mp_show_link(struct cmd_ctx *c, const struct link *l);

#endif
