#include "core/timer.h"

static void timer_fire(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct timer *t = arg;
	t->cb(t->arg);
}

void timer_init(struct timer *t, struct event_base *base, void (*cb)(void *), void *arg)
{
	t->cb = cb;
	t->arg = arg;
	event_assign(&t->ev, base, -1, 0, timer_fire, t);
	t->init = true;
}

void timer_start(struct timer *t, unsigned ms)
{
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
	evtimer_add(&t->ev, &tv);
}

void timer_stop(struct timer *t)
{
	if (t->init)
		evtimer_del(&t->ev);
}

bool timer_running(const struct timer *t)
{
	return t->init && evtimer_pending((struct event *)&t->ev, NULL);
}

unsigned timer_remain(const struct timer *t)
{
	struct timeval when, now;
	if (!t->init || !evtimer_pending((struct event *)&t->ev, &when))
		return 0;
	event_base_gettimeofday_cached(event_get_base(&t->ev), &now);
	long long ms = (when.tv_sec - now.tv_sec) * 1000LL + (when.tv_usec - now.tv_usec) / 1000;
	return ms > 0 ? (unsigned)ms : 0;
}
