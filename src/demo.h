/*
 * demo.h — the deterministic demo data set.
 */
#ifndef ZG_DEMO_H
#define ZG_DEMO_H

#include "errors.h"

struct db;

/* Writes departments and the seven demo users (password pw) into an empty
 * store. Returns 0, or -1 with err. */
int demo_fill(struct db *db, const char *pw, struct zerr *err);

#endif
