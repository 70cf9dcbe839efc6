/*
 * roles.h — the seven staff roles as bits of one mask.
 *
 * A user holds one or more roles; a route allows a mask of roles. The
 * names are part of the API ("roles":["admin",...]). Stored as the integer
 * mask in users.roles, so the bit values below never change.
 */
#ifndef ZG_ROLES_H
#define ZG_ROLES_H

#include <jansson.h>

enum role {
	ROLE_ADMIN = 1u << 0,
	ROLE_LEADER = 1u << 1,
	ROLE_DISPATCHER = 1u << 2,
	ROLE_DEPARTMENT_HANDLER = 1u << 3,
	ROLE_GRID_LEADER = 1u << 4,
	ROLE_GRID_WORKER = 1u << 5,
	ROLE_SUPERVISOR = 1u << 6,
};

#define ROLE_ALL 0x7fu
#define ROLE_COUNT 7

/* Role bit for a name, or 0 when the name is unknown. */
unsigned role_parse(const char *name);
/* Name and Chinese name of the i-th role (0..ROLE_COUNT-1). */
const char *role_name_at(int i);
const char *role_zh_at(int i);
/* JSON array of role names for a mask; new reference. */
json_t *roles_to_json(unsigned mask);
/* Parses "admin,leader" into a mask; 0 when empty or any name is unknown. */
unsigned roles_parse_list(const char *csv);

#endif
