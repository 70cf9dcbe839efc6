/*
 * api.h — the HTTP handlers named in the route table (routes.c).
 * Each lives in api_<noun>.c and has the one handler signature.
 */
#ifndef ZG_API_H
#define ZG_API_H

#include "http.h"

/* api_health.c */
void api_healthz(struct req *r);
void api_metrics(struct req *r);
void api_openapi(struct req *r);
/* api_auth.c */
void api_login(struct req *r);
void api_logout(struct req *r);
void api_me(struct req *r);
/* api_users.c */
void api_users_list(struct req *r);
void api_users_create(struct req *r);
void api_users_get(struct req *r);
void api_users_update(struct req *r);
void api_departments_list(struct req *r);

#endif
