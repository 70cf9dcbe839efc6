/*
 * routes.c — the route table: every HTTP route of zonegov in one place.
 *
 * Each row: method, path pattern, handler, roles allowed, flags, summary.
 * The dispatcher (http.c) enforces the roles and flags of a row before its
 * handler runs, so authorization is decided here and nowhere else. The
 * same table feeds /metrics labels, the OpenAPI document and the test that
 * calls every route without credentials.
 *
 * To add a route: write the handler in api_<noun>.c, declare it in api.h,
 * add its row here.
 */
#include "api.h"
#include "roles.h"
#include "server.h"

const struct route zg_routes[] = {
        {HM_GET, "/healthz", api_healthz, 0, RF_PUBLIC, "Store reachable: {\"status\":\"ok\"}"},
        {HM_GET, "/metrics", api_metrics, 0, RF_PUBLIC, "Prometheus metrics"},
        {HM_GET, "/api/v1/openapi.json", api_openapi, 0, RF_PUBLIC, "This API as an OpenAPI 3 document"},
        {HM_POST, "/api/v1/auth/login", api_login, 0, RF_PUBLIC | RF_JSON_BODY, "Log in; returns a session token"},
        {HM_POST, "/api/v1/auth/logout", api_logout, ROLE_ALL, 0, "End the current session"},
        {HM_GET, "/api/v1/me", api_me, ROLE_ALL, 0, "The logged-in user"},
        {HM_GET, "/api/v1/settings", api_settings, ROLE_ALL, 0, "Settings the web app needs (map tiles)"},
        {HM_GET, "/api/v1/users", api_users_list, ROLE_ADMIN, 0, "List accounts (paged; q searches)"},
        {HM_POST, "/api/v1/users", api_users_create, ROLE_ADMIN, RF_JSON_BODY, "Create an account"},
        {HM_GET, "/api/v1/users/{id}", api_users_get, ROLE_ADMIN, 0, "One account"},
        {HM_PATCH, "/api/v1/users/{id}", api_users_update, ROLE_ADMIN, RF_JSON_BODY,
         "Change an account (name, roles, scope, phone, password, disabled)"},
        {HM_GET, "/api/v1/departments", api_departments_list, ROLE_ALL, 0, "List departments"},
        {HM_POST, "/api/v1/cases", api_cases_create, ROLE_ALL, RF_JSON_BODY,
         "File a case (staff; source given); Idempotency-Key honoured"},
        {HM_GET, "/api/v1/cases", api_cases_list, ROLE_ALL, 0,
         "Cases in the viewer's scope (status, category, unit, department, overdue, source, number, from, to, sort; "
         "paged)"},
        {HM_GET, "/api/v1/cases/{id}", api_cases_get, ROLE_ALL, 0,
         "One case with its timeline, within the viewer's scope"},
        {HM_POST, "/api/v1/cases/{id}/actions", api_cases_action, ROLE_ALL, RF_JSON_BODY,
         "Take a workflow action ({action, version, ...fields}); 409 with the allowed actions when stale or not "
         "possible"},
        {HM_GET, "/api/v1/cases/{id}/photos/{photo}", api_cases_photo_get, ROLE_ALL, 0,
         "A photo of a case the caller may see (the image itself)"},
        {HM_POST, "/api/v1/photos", api_photos_upload, ROLE_ALL, RF_PHOTO_BODY,
         "Upload a photo (the body is the JPEG, PNG or WebP image, at most 10 MiB); returns its id"},
        {HM_POST, "/api/v1/public/photos", api_public_photos_upload, 0, RF_PUBLIC | RF_PHOTO_BODY,
         "Upload a photo for a public report (as POST /api/v1/photos)"},
        {HM_POST, "/api/v1/public/cases", api_public_cases_create, 0, RF_PUBLIC | RF_JSON_BODY,
         "Report a problem (public, no login; source resident); Idempotency-Key honoured"},
        {HM_GET, "/api/v1/public/cases/{number}", api_public_cases_get, 0, RF_PUBLIC,
         "Follow a case with its number and ?phone4= (no personal data)"},
        {HM_POST, "/api/v1/public/cases/{number}/rating", api_public_cases_rate, 0, RF_PUBLIC | RF_JSON_BODY,
         "Rate a closed case ({phone4, rating: satisfied|basic|unsatisfied, comment})"},
        {HM_POST, "/api/v1/projects", api_projects_create, ROLE_ADMIN | ROLE_LEADER, RF_JSON_BODY,
         "Add a key project (money in integer yuan); 201 {id}"},
        /* The named views before /{id}: the first row that matches wins. */
        {HM_GET, "/api/v1/projects/summary", api_projects_summary, ROLE_ALL, 0,
         "Ledger figures for a year and month (filters) with the generated paragraph"},
        {HM_GET, "/api/v1/projects/trend", api_projects_trend, ROLE_ALL, 0,
         "Completed investment per month of the year, cumulative and against the annual plan (filters)"},
        {HM_GET, "/api/v1/projects/rankings", api_projects_rankings, ROLE_ALL, 0,
         "Leaders or departments (by=leader|department) ranked by completion of the annual plan (filters)"},
        {HM_GET, "/api/v1/projects/batches", api_projects_batches, ROLE_ALL, 0,
         "The \"three batches\" (三个一批) per batch: counts, start, production and effectiveness rates (filters)"},
        {HM_GET, "/api/v1/projects", api_projects_list, ROLE_ALL, 0,
         "The ledger: projects with the year's plan and completion (filters, sort, order; paged) and totals"},
        /* before {id}: export.xlsx is not an id */
        {HM_GET, "/api/v1/projects/export.xlsx", api_projects_export_xlsx, ROLE_ALL, 0,
         "The ledger of a year up to a month (the ledger filters) as .xlsx: money in 万元, totals row"},
        {HM_GET, "/api/v1/projects/export.csv", api_projects_export_csv, ROLE_ALL, 0,
         "The ledger as CSV (UTF-8 with BOM, the .xlsx columns, money in integer yuan)"},
        {HM_GET, "/api/v1/projects/export.oc4ids.json", api_projects_export_oc4ids, ROLE_ALL, 0,
         "The projects as an OC4IDS project package"},
        {HM_GET, "/api/v1/projects/{id}", api_projects_get, ROLE_ALL, 0,
         "One project with its plans, monthly progress (cumulative), stages, batches and problem cases"},
        {HM_PATCH, "/api/v1/projects/{id}", api_projects_patch, ROLE_ADMIN | ROLE_LEADER, RF_JSON_BODY,
         "Change a project's fields ({version, ...}); 409 on a stale version"},
        {HM_PUT, "/api/v1/projects/{id}/plans/{year}", api_projects_plan_put, ROLE_ADMIN | ROLE_LEADER, RF_JSON_BODY,
         "Set a project's annual plan ({planned_investment})"},
        {HM_PUT, "/api/v1/projects/{id}/progress/{year}/{month}", api_projects_progress_put, ROLE_ADMIN | ROLE_LEADER,
         RF_JSON_BODY, "Set a month's completed investment ({completed_investment, note})"},
        {HM_GET, "/api/v1/projects/{id}/photos/{photo}", api_projects_photo_get, ROLE_ALL, 0,
         "A photo attached to one of the project's months (the image itself)"},
        {HM_PUT, "/api/v1/projects/{id}/stage", api_projects_stage_put, ROLE_ADMIN | ROLE_LEADER, RF_JSON_BODY,
         "Record the date a project reached a stage ({stage, date})"},
        {HM_POST, "/api/v1/projects/import", api_projects_import, ROLE_ADMIN | ROLE_LEADER, RF_LARGE_BODY,
         "Import a ledger (.xlsx or text/csv, the export's columns), all or nothing (?dry_run=1 checks only)"},
        {HM_GET, "/api/v1/locate", api_locate, ROLE_ALL, 0,
         "Locate a point (lat, lon, crs=wgs84|gcj02): the unit chain, finest first, with people"},
        {HM_POST, "/api/v1/units/import", api_units_import, ROLE_ADMIN, RF_JSON_BODY | RF_LARGE_BODY,
         "Import units from a GeoJSON FeatureCollection, all or nothing (?dry_run=1 checks only)"},
        {HM_GET, "/api/v1/units", api_units_list, ROLE_ALL, 0, "List units (level, parent, q; paged)"},
        {HM_GET, "/api/v1/units/{code}", api_units_get, ROLE_ALL, 0, "One unit with people, label point and geometry"},
        {HM_POST, "/api/v1/units/{code}/people", api_units_people_add, ROLE_ADMIN, RF_JSON_BODY,
         "Assign a person to a unit ({username, duty})"},
        {HM_GET, "/api/v1/map/features", api_map_features, ROLE_ALL, 0,
         "GeoJSON of the units at a level (level, parent) for the map"},
        {HM_GET, "/api/v1/categories", api_categories_list, 0, RF_PUBLIC,
         "The case category catalog ordered by code (public: active categories only)"},
        {HM_POST, "/api/v1/categories/import", api_categories_import, ROLE_ADMIN, RF_LARGE_BODY,
         "Import categories from a CSV body (text/csv), all or nothing (?dry_run=1 checks only)"},
        {HM_GET, "/api/v1/categories/{code}", api_categories_get, 0, RF_PUBLIC, "One case category"},
        {HM_PUT, "/api/v1/categories/{code}", api_categories_put, ROLE_ADMIN, RF_JSON_BODY,
         "Create or replace one case category"},
};

const size_t zg_nroutes = sizeof zg_routes / sizeof zg_routes[0];
