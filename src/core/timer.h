/* One-shot timers on the libevent loop, embedded in their owners (no allocation). */
#ifndef MPD_TIMER_H
#define MPD_TIMER_H

#include <stdbool.h>
#include <event2/event.h>
#include <event2/event_struct.h>

struct timer {
	struct event ev;
	void (*cb)(void *arg);
	void *arg;
	bool init;
};

/* Bind a timer to a loop and a callback; it starts stopped. */
void timer_init(struct timer *t, struct event_base *base, void (*cb)(void *), void *arg);
/* (Re)arm the timer to fire once after ms milliseconds. */
void timer_start(struct timer *t, unsigned ms);
/* Disarm; harmless when not running or never initialised. */
void timer_stop(struct timer *t);
/* True while armed. */
bool timer_running(const struct timer *t);
/* Milliseconds left, 0 when not armed. */
unsigned timer_remain(const struct timer *t);

#endif
