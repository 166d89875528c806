/*
 * `set pppoe pado-delay` arguments (split on spaces) through the parser;
 * what it accepts must print back to itself, and the step function must
 * answer from the configured steps only. Then the bytes drive the bounded
 * PADO queue: add/find/remove never exceed the bound or lose an entry.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dev/pppoe/pppoe_delay.h"

#define MAX_ARGS 12

static void check_parse(const uint8_t *data, size_t size)
{
	char buf[256], *av[MAX_ARGS], err[128], text[200];
	int ac = 0;
	size_t n = size < sizeof(buf) - 1 ? size : sizeof(buf) - 1;
	struct pppoe_pado_delay d, again;

	memcpy(buf, data, n);
	buf[n] = '\0';
	for (char *p = buf; *p != '\0' && ac < MAX_ARGS;) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p == '\0')
			break;
		av[ac++] = p;
		while (*p != '\0' && *p != ' ')
			p++;
	}
	if (pppoe_pado_delay_parse(&d, ac, av, err, sizeof(err)) < 0)
		return;
	pppoe_pado_delay_text(&d, text, sizeof(text));
	char *tv[MAX_ARGS], *save = NULL;
	int tc = 0;
	for (char *t = strtok_r(text, " ", &save); t != NULL && tc < MAX_ARGS; t = strtok_r(NULL, " ", &save))
		tv[tc++] = t;
	assert(pppoe_pado_delay_parse(&again, tc, tv, err, sizeof(err)) == 0);
	assert(memcmp(&again, &d, sizeof(d)) == 0);
	for (size_t s = 0; s < 5; s++) {
		int ms = pppoe_pado_delay_ms(&d, s * 1000);
		assert(ms == PPPOE_DELAY_SILENT || (ms >= 0 && ms <= PPPOE_DELAY_MAX_MS));
	}
}

static void check_queue(const uint8_t *data, size_t size)
{
	static struct pppoe_padoq q;
	uint8_t mac[PPPOE_ETH_ALEN] = {2, 0, 0, 0, 0, 0}, tags[4] = {0};

	for (size_t i = 0; i + 1 < size; i += 2) {
		mac[5] = data[i + 1];
		struct pppoe_blob uniq = {.p = &data[i + 1], .len = 1, .set = (data[i] & 0x40) != 0};
		struct pppoe_pado_wait *w = pppoe_padoq_find(&q, mac, &uniq);
		if (data[i] & 0x80) {
			if (w != NULL)
				pppoe_padoq_remove(w);
		} else if (w == NULL) {
			unsigned before = q.n;
			w = pppoe_padoq_add(&q, mac, &uniq, tags, sizeof(tags));
			assert(w != NULL ? q.n == before + 1 : before == PPPOE_PADO_WAIT_MAX);
			if (w != NULL)
				assert(pppoe_padoq_find(&q, mac, &uniq) == w);
		}
		assert(q.n <= PPPOE_PADO_WAIT_MAX);
	}
	for (unsigned i = 0; i < q.n; i++)
		assert(q.w[i]->slot == i);
	while (q.n > 0)
		pppoe_padoq_remove(q.w[q.n - 1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_parse(data, size);
	check_queue(data, size);
	return 0;
}
