/*
 * case_overdue.h — the overdue scanner (超期督办, docs/WORKFLOW.md "Deadlines").
 *
 * A scan at time now does two things, each case in its own transaction and
 * only when nobody changed the case meanwhile (same version):
 *  - a case whose current stage's deadline lies before now and that is not
 *    yet marked: overdue = 1, a yellow 督办 (unless it already has a red
 *    one), version + 1 and an `overdue` event by the system naming the
 *    stage, the deadline and whom the 督办 goes to (the department or the
 *    grid); the red escalation is set for 5 working days after the deadline;
 *  - an overdue case whose escalation time has passed: a red 督办, version
 *    + 1 and a `supervise` event by the system.
 * An action that starts a new stage (or moves the deadline past now) clears
 * overdue and the pending escalation (case_act.c).
 *
 * The server runs a scan every cfg.overdue_scan seconds on its own thread;
 * `zonegov cases scan --now TIME` runs one from the command line.
 */
#ifndef ZG_CASE_OVERDUE_H
#define ZG_CASE_OVERDUE_H

#include <stdint.h>

struct db;
struct workcal;

#define CASE_RED_AFTER_WORK_DAYS 5
#define CASE_SCAN_BATCH 500 /* cases looked at per query; a scan repeats until none is left */

struct overdue_counts {
	int marked;    /* newly overdue (yellow) */
	int escalated; /* raised to red */
	int skipped;   /* changed by someone else meanwhile; the next scan retries */
};

/* One scan at now (ms since the epoch). Returns 0, or -1 on a store error
 * (what was done before it stays done). */
int case_overdue_scan(struct db *db, const struct workcal *cal, int64_t now, struct overdue_counts *out);

#endif
