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
void api_settings(struct req *r);
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
/* api_cases.c */
void api_cases_create(struct req *r);
void api_public_cases_create(struct req *r);
void api_cases_get(struct req *r);
void api_cases_list(struct req *r);
void api_cases_action(struct req *r);
/* api_projects.c */
void api_projects_create(struct req *r);
void api_projects_plan_put(struct req *r);
void api_projects_progress_put(struct req *r);
void api_projects_stage_put(struct req *r);
void api_projects_summary(struct req *r);
void api_projects_list(struct req *r);
void api_projects_get(struct req *r);
void api_projects_patch(struct req *r);
void api_projects_trend(struct req *r);
void api_projects_rankings(struct req *r);
void api_projects_batches(struct req *r);
void api_projects_photo_get(struct req *r);
/* Answers with a photo's file (rc 0), 404 "照片不存在" / missing_en (rc 1), or a
 * store error (rc -1): rc, path and mime as photo_of_case gives them. */
void reply_photo(struct req *r, int rc, const char *path, const char *mime, const char *missing_en);
struct project_filter;
/* The ledger views' filters from the query (docs/API.md); 0, or -1 having answered 400. */
int api_projects_filter_or_reply(struct req *r, struct project_filter *f);
/* api_projects_io.c */
void api_projects_export_xlsx(struct req *r);
void api_projects_export_csv(struct req *r);
void api_projects_export_oc4ids(struct req *r);
void api_projects_import(struct req *r);
/* api_photos.c */
void api_photos_upload(struct req *r);
void api_public_photos_upload(struct req *r);
void api_cases_photo_get(struct req *r);
void api_public_cases_get(struct req *r);
void api_public_cases_rate(struct req *r);
/* api_units.c */
void api_locate(struct req *r);
void api_units_list(struct req *r);
void api_units_get(struct req *r);
void api_units_import(struct req *r);
void api_units_people_add(struct req *r);
void api_map_features(struct req *r);
/* api_categories.c */
void api_categories_list(struct req *r);
void api_categories_get(struct req *r);
void api_categories_put(struct req *r);
void api_categories_import(struct req *r);
struct unit_dir;
/* The unit chain (finest first) of directory entry at, with people; NULL on a store error. */
json_t *api_unit_chain_json(struct req *r, const struct unit_dir *d, int32_t at);

#endif
