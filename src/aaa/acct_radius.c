/*
 * The radius-acct backend: one Accounting-Request (RFC 2866 §4.1) per
 * accounting event, with the attributes of radius.md §2.1 and §2.3, sent
 * through the RADIUS client (aaa/rad_client.h: accounting ports, servers in
 * turn, retransmissions, failover).
 *
 * A Stop is the record of a whole session: when every server timed out it
 * is sent again a little later, for as long as the daemon runs (at shutdown
 * a round that times out ends it). Start and Update are not retried beyond
 * the client's own round: a lost Update is superseded by the next one.
 */
#include "aaa/acct.h"
#include "aaa/acct_radius.h"

#include <stdlib.h>
#include <time.h>
#include <event2/event.h>

#include "aaa/rad_client.h"
#include "aaa/rad_pkt.h"
#include "core/daemon.h"
#include "core/log.h"

/* Stops kept for another round while at most this many requests are waiting (each ~5 KiB). */
#define ACCT_RETRY_MAX 20000

struct acct_job {
	struct daemon *d;
	struct acct_record rec;
	acct_job_done_fn done;
	void *arg;
	struct rad_req *req;       /* the round in progress, NULL between rounds */
	struct event *again;       /* a Stop waits for its next round */
	struct timespec created;   /* Acct-Delay-Time counts from here (RFC 2866 §5.2) */
	unsigned rounds;
};

static uint32_t delay_secs(const struct acct_job *j)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > j->created.tv_sec ? (uint32_t)(now.tv_sec - j->created.tv_sec) : 0;
}

static int build_cb(struct rad_builder *b, const char *secret, void *arg)
{
	(void)secret; /* nothing in an Accounting-Request is hidden */
	struct acct_job *j = arg;
	return acct_radius_build(&j->rec, delay_secs(j), b);
}

static void job_free(struct acct_job *j)
{
	if (j->again != NULL)
		event_free(j->again);
	free(j);
}

static void round_start(struct acct_job *j);

static void again_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	round_start(arg);
}

/* Every server timed out on a Stop: try again later, unless the daemon is going away. */
static bool stop_again(struct acct_job *j)
{
	if (j->rec.status != ACCT_STOP || j->d->shutting_down)
		return false;
	if (acct_in_flight(j->d) > ACCT_RETRY_MAX) {
		/* a server dead for long under many sessions: memory is bounded, this record is not */
		log_pmsg(LG_RADIUS, LP_WARNING, j->rec.link,
			 "RADIUS: Accounting-Request STOP session=%s given up: %u accounting requests waiting",
			 j->rec.session_id, acct_in_flight(j->d));
		return false;
	}
	if (j->again == NULL && (j->again = evtimer_new(j->d->base, again_cb, j)) == NULL)
		return false;
	unsigned secs = j->rec.radius.timeout > 0 ? j->rec.radius.timeout : RAD_DEF_TIMEOUT;
	struct timeval tv = {(time_t)secs, 0};
	log_pmsg(LG_RADIUS, LP_WARNING, j->rec.link,
		 "RADIUS: Accounting-Request STOP session=%s: no server answered (round %u), again in %u s",
		 j->rec.session_id, j->rounds, secs);
	evtimer_add(j->again, &tv);
	return true;
}

static void answer_cb(const struct rad_response *resp, void *arg)
{
	struct acct_job *j = arg;
	j->req = NULL;
	bool ok = false, drop = false;
	switch (resp->outcome) {
	case RAD_ANSWERED:
		ok = resp->code == RAD_ACCOUNTING_RESPONSE;
		if (ok)
			drop = acct_radius_drop_user(resp->pkt);
		else
			log_pmsg(LG_RADIUS, LP_WARNING, j->rec.link, "RADIUS: %s answered an Accounting-Request with code %u",
				 resp->server ? resp->server : "server", resp->code);
		break;
	case RAD_TIMEOUT:
		if (stop_again(j))
			return;
		log_pmsg(LG_RADIUS, LP_WARNING, j->rec.link, "RADIUS: Accounting-Request %s session=%s: no server answered",
			 acct_status_name(j->rec.status), j->rec.session_id);
		break;
	case RAD_NOSERVER:
		log_pmsg(LG_RADIUS, LP_WARNING, j->rec.link, "RADIUS: no accounting server configured (set radius server)");
		break;
	}
	acct_job_done_fn done = j->done;
	void *darg = j->arg;
	job_free(j);
	done(ok, drop, darg);
}

static void round_start(struct acct_job *j)
{
	j->rounds++;
	j->req = rad_send(j->d, &j->rec.radius, RAD_KIND_ACCT, RAD_ACCOUNTING_REQUEST, build_cb, answer_cb, j,
			  j->rec.link);
	if (j->req == NULL && !stop_again(j)) {
		/* out of memory between rounds: give up, from the loop as always */
		acct_job_done_fn done = j->done;
		void *darg = j->arg;
		job_free(j);
		done(false, false, darg);
	}
}

static struct acct_job *radius_start(struct daemon *d, const struct acct_record *rec, acct_job_done_fn done,
				     void *arg)
{
	struct acct_job *j = calloc(1, sizeof(*j));
	if (j == NULL)
		return NULL;
	j->d = d;
	j->rec = *rec;
	j->done = done;
	j->arg = arg;
	clock_gettime(CLOCK_MONOTONIC, &j->created);
	j->rounds = 1;
	j->req = rad_send(d, &j->rec.radius, RAD_KIND_ACCT, RAD_ACCOUNTING_REQUEST, build_cb, answer_cb, j, j->rec.link);
	if (j->req == NULL) {
		free(j);
		return NULL;
	}
	return j;
}

static void radius_cancel(struct acct_job *j)
{
	if (j->req != NULL)
		rad_cancel(j->req);
	job_free(j);
}

const struct acct_backend acct_backend_radius = {
	.opt = AOPT_RADIUS_ACCT,
	.name = "radius-acct",
	.start = radius_start,
	.cancel = radius_cancel,
};
