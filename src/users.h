/*
 * users.h — staff accounts: validation, creation, lookup, listing, changes.
 *
 * Every change to an account writes a row to audit_log in the same
 * transaction, naming the actor. Validation is shared by the API and the
 * CLI; on failure the store is unchanged and *err names the field.
 *
 * Rules: username 3–32 of [a-z0-9_.-] starting with a letter or digit;
 * name 1–64 characters of valid text; password 10–128 bytes; roles a
 * non-empty subset of the seven; phone empty or 11 digits starting with 1;
 * scope unit a code of 1–32 digits; scope department an existing id.
 */
#ifndef ZG_USERS_H
#define ZG_USERS_H

#include "errors.h"

#include <jansson.h>
#include <stdint.h>

struct db;

struct user {
	int64_t id;
	char username[40];
	char name[260];
	unsigned roles;
	char phone[24];           /* "" when none */
	char scope_unit[40];      /* "" when none */
	int64_t scope_department; /* 0 when none */
	int disabled;
	int64_t created_at; /* ms */
};

/* Fields of a new account or a change; NULL / 0 / -1 mean "not given". */
struct user_input {
	const char *username;
	const char *name;
	const char *password;
	unsigned roles;           /* 0: not given */
	const char *phone;        /* "" clears */
	const char *scope_unit;   /* "" clears */
	int64_t scope_department; /* -1: not given, 0: clear */
	int disabled;             /* -1: not given */
};

void user_input_init(struct user_input *in);

/* Fills *in from a JSON object (API bodies). Type errors go to err. */
int user_input_from_json(json_t *obj, struct user_input *in, struct zerr *err);

/* Creates an account. Returns 0 with *out filled, or -1 with err
 * (ZE_INVALID_FIELD/ZE_MISSING_FIELD, ZE_CONFLICT when the name is taken,
 * ZE_STORE). */
int user_create(struct db *db, const struct user_input *in, const char *actor, struct user *out, struct zerr *err);

/* Applies the given fields of in (username cannot change). Disabling an
 * account revokes its sessions. Returns 0, or -1 with err (ZE_NOT_FOUND...). */
int user_update(struct db *db, int64_t id, const struct user_input *in, const char *actor, struct user *out,
                struct zerr *err);

/* Returns 0 found, 1 not found, -1 store error. */
int user_get(struct db *db, int64_t id, struct user *out);
int user_get_by_name(struct db *db, const char *username, struct user *out);

/* Page of accounts matching q (substring of username or name; NULL: all),
 * ordered by id. *items is a new JSON array (phones masked), *total the count
 * of all matches. Returns 0 or -1. */
int user_list(struct db *db, const char *q, int page, int per_page, json_t **items, int64_t *total);

/* Reads columns 0-8 of a row (id, username, name, roles, phone, scope_unit,
 * scope_department, disabled, created_at) into *u. */
struct db_stmt;
void user_from_row(struct db_stmt *st, struct user *u);

/* JSON of an account; show_phone 0 masks the phone (138****1234). */
json_t *user_to_json(const struct user *u, int show_phone);

/* 1 when p is a mainland mobile number: 11 digits starting with 1. */
int phone_valid(const char *p);

/* Writes the masked form of a phone number ("" stays ""). */
void phone_mask(const char *phone, char *out, size_t outlen);

/* Appends an audit row (call inside the caller's transaction). */
int audit_write(struct db *db, const char *actor, const char *action, const char *target, const char *detail);

/* Creates a department if its code is new; returns its id, or -1. */
int64_t department_ensure(struct db *db, const char *code, const char *name);

#endif
