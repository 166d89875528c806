/*
 * Multilink reassembly under arbitrary fragments on several slots, in both
 * header formats, with links joining and leaving, the clock moving and the
 * timer firing; delivered packets are read so ASan sees bad buffers.
 */
#include <string.h>

#include "fuzz_common.h"
#include "ppp/mp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz_mp {
	uint64_t now;
	size_t sink;
	struct mp *peer;	/* receives what the engine under test sends */
};

static void fzm_send(void *arg, int slot, struct pbuf *f)
{
	struct fz_mp *s = arg;

	s->sink += (size_t)slot + f->len;
	if (s->peer != NULL && (s->sink & 3) != 0)
		mp_input(s->peer, slot, f);	/* a quarter lost on the way */
	else
		pbuf_free(f);
}

static void fzm_deliver(void *arg, struct pbuf *p)
{
	struct fz_mp *s = arg;

	for (size_t i = 0; i < p->len; i++)
		s->sink += p->data[i];
	pbuf_free(p);
}

static uint64_t fzm_now(void *arg)
{
	return ((struct fz_mp *)arg)->now;
}

static void fzm_timer(void *arg, unsigned ms)
{
	(void)arg;
	(void)ms;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_mp st = { .now = 5000 }, pst = { .now = 5000 };
	struct mp_owner o = { &st, fzm_send, fzm_deliver, fzm_timer, fzm_now };
	struct mp_owner po = { &pst, fzm_send, fzm_deliver, fzm_timer, fzm_now };
	const uint8_t *chunk;
	size_t len;

	fz_quiet();
	if (size < 2)
		return 0;
	struct mp_conf c = {
		.name = "fz",
		.rx_shortseq = data[0] & 1,
		.tx_shortseq = data[0] & 2,
		.round_robin = data[0] & 4,
		.mrru = 64u << (data[0] >> 5),
		.peer_mrru = 1500,
		.reasm_max_frags = data[1] & 0x3f,
		.reasm_timeout_ms = 100,
		.tx_seq_start = 0xffff00u | data[1],
	};
	struct mp_conf pc = c;
	pc.rx_shortseq = c.tx_shortseq;
	pc.mrru = 1500;
	struct mp *mp = mp_new(&c, &o);
	st.peer = mp_new(&pc, &po);
	if (mp == NULL || st.peer == NULL) {
		mp_free(mp);
		mp_free(st.peer);
		return 0;
	}
	for (int i = 0; i < 3; i++) {
		struct mp_link_param p = { 64000u * (uint32_t)(i + 1), 1000u * (uint32_t)i, 60u + 500u * (unsigned)i };
		mp_link_add(mp, i, &p);
		mp_link_add(st.peer, i, &p);
	}
	data += 2;
	size -= 2;
	while (fz_next(&data, &size, &chunk, &len)) {
		if (len == 0)
			continue;
		/* first byte: what to do with the rest */
		uint8_t op = chunk[0];
		int slot = op & 7;
		chunk++;
		len--;
		switch (op >> 5) {
		case 0:
		case 1:
		case 2:
		case 3:
			mp_input(mp, slot, pbuf_from(chunk, len));
			break;
		case 4: {
			struct mp_link_param p = { len ? chunk[0] * 1000u : 0, op * 100u, 3u + (unsigned)len * 20u };
			mp_link_add(mp, slot, &p);
			break;
		}
		case 5:
			mp_link_remove(mp, slot);
			break;
		case 6:
			st.now += (uint64_t)(op & 0x1f) * 10u;
			pst.now = st.now;
			mp_timeout(mp);
			mp_timeout(st.peer);
			break;
		default: {
			struct pbuf *p = pbuf_new(PBUF_HEADROOM, len * 16 + 1);
			for (size_t i = 0; i < len * 16 + 1; i++)
				*pbuf_put(p, 1) = (uint8_t)i;
			mp_output(mp, p);
			break;
		}
		}
		/* the bound holds after every call */
		if (c.reasm_max_frags > 0 && mp_reasm_queued(mp) > c.reasm_max_frags)
			__builtin_trap();
	}
	mp_free(mp);
	mp_free(st.peer);
	return (int)(st.sink & 0);
}
