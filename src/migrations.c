/*
 * migrations.c — the numbered schema migrations and their runner.
 *
 * Migrations are append-only: a released migration is never edited; a
 * change is a new number. Each runs in its own transaction together with
 * its row in schema_migrations, so a crash leaves either all of it or none.
 * The SQL here is the SQLite dialect of the schema; the PostgreSQL backend
 * will carry its own list with the same numbers and names.
 *
 * Times are BIGINT milliseconds since the Unix epoch; money (later) integer
 * yuan or fen; booleans INTEGER 0/1.
 */
#include "buf.h"
#include "db.h"
#include "timeutil.h"

#include <stdio.h>

struct migration {
	int version;
	const char *name;
	const char *sql;
};

static const struct migration migrations[] = {
        {1, "accounts",
         "CREATE TABLE departments ("
         "  id INTEGER PRIMARY KEY,"
         "  code TEXT NOT NULL UNIQUE,"
         "  name TEXT NOT NULL,"
         "  created_at BIGINT NOT NULL);"
         "CREATE TABLE users ("
         "  id INTEGER PRIMARY KEY,"
         "  username TEXT NOT NULL UNIQUE,"
         "  name TEXT NOT NULL,"
         "  password_hash TEXT NOT NULL,"
         "  roles INTEGER NOT NULL CHECK (roles > 0),"
         "  phone TEXT,"
         "  scope_unit TEXT,"
         "  scope_department INTEGER REFERENCES departments(id),"
         "  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
         "  created_at BIGINT NOT NULL,"
         "  updated_at BIGINT NOT NULL);"
         "CREATE TABLE sessions ("
         "  id INTEGER PRIMARY KEY,"
         "  token_hash TEXT NOT NULL UNIQUE,"
         "  user_id INTEGER NOT NULL REFERENCES users(id),"
         "  created_at BIGINT NOT NULL,"
         "  expires_at BIGINT NOT NULL,"
         "  revoked_at BIGINT);"
         "CREATE INDEX sessions_user ON sessions(user_id);"
         "CREATE TABLE login_attempts ("
         "  username TEXT PRIMARY KEY,"
         "  failures INTEGER NOT NULL,"
         "  last_failure_at BIGINT NOT NULL,"
         "  locked_until BIGINT NOT NULL);"
         "CREATE TABLE audit_log ("
         "  id INTEGER PRIMARY KEY,"
         "  at BIGINT NOT NULL,"
         "  actor TEXT NOT NULL,"
         "  action TEXT NOT NULL,"
         "  target TEXT,"
         "  detail TEXT);"},
        {2, "units",
         "CREATE TABLE units ("
         "  id INTEGER PRIMARY KEY,"
         "  code TEXT NOT NULL UNIQUE,"
         "  name TEXT NOT NULL,"
         "  level TEXT NOT NULL CHECK (level IN ('zone', 'street', 'community', 'grid', 'microgrid')),"
         "  parent_id INTEGER REFERENCES units(id),"
         "  geometry TEXT,"
         "  label_lat DOUBLE PRECISION,"
         "  label_lon DOUBLE PRECISION,"
         "  area_m2 DOUBLE PRECISION,"
         "  version INTEGER NOT NULL DEFAULT 1,"
         "  created_at BIGINT NOT NULL,"
         "  updated_at BIGINT NOT NULL);"
         "CREATE INDEX units_parent ON units(parent_id);"
         "CREATE INDEX units_level ON units(level, code);"
         "CREATE TABLE unit_history ("
         "  id INTEGER PRIMARY KEY,"
         "  unit_id INTEGER NOT NULL REFERENCES units(id),"
         "  version INTEGER NOT NULL,"
         "  code TEXT NOT NULL,"
         "  name TEXT NOT NULL,"
         "  level TEXT NOT NULL,"
         "  parent_code TEXT,"
         "  geometry TEXT,"
         "  valid_from BIGINT NOT NULL,"
         "  valid_to BIGINT NOT NULL,"
         "  import_id INTEGER);"
         "CREATE INDEX unit_history_unit ON unit_history(unit_id, version);"
         "CREATE TABLE unit_people ("
         "  unit_id INTEGER NOT NULL REFERENCES units(id),"
         "  user_id INTEGER NOT NULL REFERENCES users(id),"
         "  duty TEXT NOT NULL CHECK (duty IN ('leader', 'grid_leader', 'grid_worker', 'microgrid_worker')),"
         "  PRIMARY KEY (unit_id, user_id, duty));"
         "CREATE INDEX unit_people_user ON unit_people(user_id);"
         "CREATE TABLE imports ("
         "  id INTEGER PRIMARY KEY,"
         "  at BIGINT NOT NULL,"
         "  actor TEXT NOT NULL,"
         "  kind TEXT NOT NULL,"
         "  source TEXT,"
         "  added INTEGER NOT NULL,"
         "  updated INTEGER NOT NULL,"
         "  unchanged INTEGER NOT NULL);"},
        {3, "categories",
         "CREATE TABLE categories ("
         "  id INTEGER PRIMARY KEY,"
         "  code TEXT NOT NULL UNIQUE,"
         "  name TEXT NOT NULL,"
         "  parent_code TEXT,"
         "  kind TEXT NOT NULL CHECK (kind IN ('event', 'component')),"
         "  handled_by TEXT NOT NULL CHECK (handled_by IN ('grid', 'department')),"
         "  department_id INTEGER REFERENCES departments(id),"
         "  accept_limit INTEGER NOT NULL CHECK (accept_limit > 0),"
         "  accept_unit TEXT NOT NULL CHECK (accept_unit IN ('work_hours', 'work_days', 'hours')),"
         "  dispatch_limit INTEGER NOT NULL CHECK (dispatch_limit > 0),"
         "  dispatch_unit TEXT NOT NULL CHECK (dispatch_unit IN ('work_hours', 'work_days', 'hours')),"
         "  handle_limit INTEGER NOT NULL CHECK (handle_limit > 0),"
         "  handle_unit TEXT NOT NULL CHECK (handle_unit IN ('work_hours', 'work_days', 'hours')),"
         "  verify_limit INTEGER NOT NULL CHECK (verify_limit > 0),"
         "  verify_unit TEXT NOT NULL CHECK (verify_unit IN ('work_hours', 'work_days', 'hours')),"
         "  priority INTEGER NOT NULL DEFAULT 2 CHECK (priority IN (1, 2, 3)),"
         "  auto_accept INTEGER NOT NULL DEFAULT 0 CHECK (auto_accept IN (0, 1)),"
         "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
         "  created_at BIGINT NOT NULL,"
         "  updated_at BIGINT NOT NULL,"
         "  CHECK ((handled_by = 'department') = (department_id IS NOT NULL)));"
         "CREATE INDEX categories_parent ON categories(parent_code);"},
        {4, "cases",
         "CREATE TABLE cases ("
         "  id INTEGER PRIMARY KEY,"
         "  number TEXT NOT NULL UNIQUE,"
         "  source TEXT NOT NULL CHECK (source IN ('resident', 'grid_patrol', 'hotline', 'supervisor', 'inspection',"
         "    'enterprise', 'project', 'consultation')),"
         "  category_code TEXT NOT NULL REFERENCES categories(code),"
         "  description TEXT NOT NULL,"
         "  lat DOUBLE PRECISION NOT NULL,"
         "  lon DOUBLE PRECISION NOT NULL,"
         "  input_crs TEXT NOT NULL CHECK (input_crs IN ('wgs84', 'gcj02')),"
         "  unit_code TEXT NOT NULL,"
         "  grid_code TEXT,"
         "  community_code TEXT,"
         "  street_code TEXT,"
         "  zone_code TEXT NOT NULL,"
         "  route TEXT NOT NULL CHECK (route IN ('grid', 'department')),"
         "  department_id INTEGER REFERENCES departments(id),"
         "  status TEXT NOT NULL CHECK (status IN ('reported', 'accepted', 'rejected', 'dispatched', 'handled', "
         "'closed')),"
         "  stage TEXT NOT NULL CHECK (stage IN ('accept', 'dispatch', 'handle', 'verify', 'none')),"
         "  stage_started_at BIGINT NOT NULL,"
         "  deadline BIGINT,"
         "  overdue INTEGER NOT NULL DEFAULT 0 CHECK (overdue IN (0, 1)),"
         "  supervision TEXT CHECK (supervision IN ('yellow', 'red')),"
         "  rating TEXT CHECK (rating IN ('satisfied', 'basic', 'unsatisfied')),"
         "  rework INTEGER NOT NULL DEFAULT 0,"
         "  extension_deadline BIGINT,"
         "  merged_into INTEGER REFERENCES cases(id),"
         "  reporter_phone TEXT,"
         "  anonymous INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),"
         "  reporter_id INTEGER REFERENCES users(id),"
         "  version INTEGER NOT NULL,"
         "  created_at BIGINT NOT NULL,"
         "  updated_at BIGINT NOT NULL,"
         "  closed_at BIGINT);"
         "CREATE INDEX cases_status ON cases(status, created_at);"
         "CREATE INDEX cases_created ON cases(created_at);"
         "CREATE INDEX cases_grid ON cases(grid_code, status);"
         "CREATE INDEX cases_community ON cases(community_code, status);"
         "CREATE INDEX cases_department ON cases(department_id, status);"
         "CREATE INDEX cases_category ON cases(category_code, created_at);"
         "CREATE INDEX cases_deadline ON cases(deadline) WHERE overdue = 0;"
         "CREATE TABLE case_events ("
         "  id INTEGER PRIMARY KEY,"
         "  case_id INTEGER NOT NULL REFERENCES cases(id),"
         "  seq INTEGER NOT NULL,"
         "  action TEXT NOT NULL,"
         "  actor_id INTEGER REFERENCES users(id),"
         "  actor TEXT NOT NULL,"
         "  from_status TEXT,"
         "  to_status TEXT NOT NULL,"
         "  note TEXT,"
         "  fields TEXT,"
         "  at BIGINT NOT NULL,"
         "  UNIQUE (case_id, seq));"
         "CREATE TABLE case_numbers ("
         "  day TEXT PRIMARY KEY,"
         "  last INTEGER NOT NULL);"
         "CREATE TABLE idempotency_keys ("
         "  scope TEXT NOT NULL,"
         "  key TEXT NOT NULL,"
         "  case_id INTEGER NOT NULL REFERENCES cases(id),"
         "  created_at BIGINT NOT NULL,"
         "  PRIMARY KEY (scope, key));"
         "CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events"
         "  BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;"
         "CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events"
         "  BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;"},
        {5, "case supervision and photos",
         /* escalate_at: when an overdue case gets its red 督办 (the deadline plus
          * 5 working days); NULL when not overdue or already red. */
         "ALTER TABLE cases ADD COLUMN escalate_at BIGINT;"
         "CREATE INDEX cases_escalate ON cases(escalate_at) WHERE escalate_at IS NOT NULL;"
         "CREATE TABLE photos ("
         "  sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),"
         "  mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),"
         "  size BIGINT NOT NULL,"
         "  width INTEGER NOT NULL,"
         "  height INTEGER NOT NULL,"
         "  uploaded_by INTEGER REFERENCES users(id),"
         "  created_at BIGINT NOT NULL);"
         "CREATE TABLE case_photos ("
         "  case_id INTEGER NOT NULL REFERENCES cases(id),"
         "  sha256 TEXT NOT NULL REFERENCES photos(sha256),"
         "  seq INTEGER NOT NULL," /* the event that attached it */
         "  PRIMARY KEY (case_id, sha256));"},
        {6, "case list indexes",
         /* The list pages newest first within its filters (docs/PERFORMANCE.md,
          * "case list"): for the scope columns (grid, community, department) one
          * index for the column alone and one with the status, both ending with
          * created_at, so that a page is an index range read backwards and a
          * count is a range. Filters that match a large share of all cases
          * (a street, a source) walk cases_created instead; every index here
          * costs each intake a B-tree insert in the one writer. */
         "DROP INDEX cases_grid;"
         "CREATE INDEX cases_grid ON cases(grid_code, created_at);"
         "CREATE INDEX cases_grid_status ON cases(grid_code, status, created_at);"
         "DROP INDEX cases_community;"
         "CREATE INDEX cases_community ON cases(community_code, created_at);"
         "CREATE INDEX cases_community_status ON cases(community_code, status, created_at);"
         "CREATE INDEX cases_street_status ON cases(street_code, status, created_at);"
         "DROP INDEX cases_department;"
         "CREATE INDEX cases_department ON cases(department_id, created_at);"
         "CREATE INDEX cases_department_status ON cases(department_id, status, created_at);"
         "CREATE INDEX cases_category_status ON cases(category_code, status, created_at);"

         "CREATE INDEX cases_overdue ON cases(created_at) WHERE overdue = 1;"
         "CREATE INDEX cases_overdue_department ON cases(department_id, created_at) WHERE overdue = 1;"
         "CREATE INDEX cases_open_deadline ON cases(deadline) WHERE deadline IS NOT NULL;"
         "CREATE INDEX cases_status_deadline ON cases(status, deadline) WHERE deadline IS NOT NULL;"
         "CREATE INDEX cases_department_deadline ON cases(department_id, status, deadline)"
         "  WHERE deadline IS NOT NULL;"},
        {7, "idempotency request hash",
         /* BLAKE2b of the request body: a retry with the same key but another body is refused. */
         "ALTER TABLE idempotency_keys ADD COLUMN request_hash TEXT;"},
        {8, "key projects ledger",
         /* docs/PROJECTS.md. Money in integer yuan; dates YYYY-MM-DD (Asia/Shanghai). */
         "CREATE TABLE projects ("
         "  id INTEGER PRIMARY KEY,"
         "  code TEXT NOT NULL UNIQUE,"
         "  name TEXT NOT NULL,"
         "  level TEXT NOT NULL CHECK (level IN ('province', 'city', 'district', 'other')),"
         "  industry TEXT NOT NULL,"
         "  owner_credit_code TEXT,"
         "  owner_name TEXT,"
         "  total_investment BIGINT NOT NULL CHECK (total_investment >= 0),"
         "  planned_start TEXT,"
         "  planned_completion TEXT,"
         "  stage TEXT NOT NULL DEFAULT 'planning' CHECK (stage IN ('planning', 'signed', 'started', 'building',"
         "    'production', 'effective')),"
         "  leader TEXT,"
         "  department_id INTEGER REFERENCES departments(id),"
         "  new_economy INTEGER NOT NULL DEFAULT 0 CHECK (new_economy IN (0, 1)),"
         "  strategic_emerging INTEGER NOT NULL DEFAULT 0 CHECK (strategic_emerging IN (0, 1)),"
         "  version INTEGER NOT NULL DEFAULT 1,"
         "  created_at BIGINT NOT NULL,"
         "  updated_at BIGINT NOT NULL);"
         "CREATE TABLE project_stages ("
         "  project_id INTEGER NOT NULL REFERENCES projects(id),"
         "  stage TEXT NOT NULL,"
         "  date TEXT NOT NULL,"
         "  PRIMARY KEY (project_id, stage));"
         "CREATE TABLE project_batches ("
         "  project_id INTEGER NOT NULL REFERENCES projects(id),"
         "  batch INTEGER NOT NULL CHECK (batch >= 1),"
         "  kind TEXT NOT NULL CHECK (kind IN ('signed', 'started', 'production')),"
         "  PRIMARY KEY (project_id, batch, kind));"
         "CREATE INDEX project_batches_batch ON project_batches(batch, kind);"
         "CREATE TABLE project_plans ("
         "  project_id INTEGER NOT NULL REFERENCES projects(id),"
         "  year INTEGER NOT NULL,"
         "  planned_investment BIGINT NOT NULL CHECK (planned_investment >= 0),"
         "  PRIMARY KEY (project_id, year));"
         "CREATE TABLE project_progress ("
         "  project_id INTEGER NOT NULL REFERENCES projects(id),"
         "  year INTEGER NOT NULL,"
         "  month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),"
         "  completed_investment BIGINT NOT NULL CHECK (completed_investment >= 0),"
         "  note TEXT,"
         "  updated_at BIGINT NOT NULL,"
         "  PRIMARY KEY (project_id, year, month));"
         "CREATE INDEX project_progress_year ON project_progress(year, month, project_id);"},
        {9, "problem cases of a project",
         /* A project's problems are cases (source project) linked to it; partial: intake of other
          * cases writes no index entry. The ledger's filters by leader and department. */
         "ALTER TABLE cases ADD COLUMN project_id INTEGER REFERENCES projects(id);"
         "CREATE INDEX cases_project ON cases(project_id) WHERE project_id IS NOT NULL;"
         "CREATE INDEX projects_leader ON projects(leader);"
         "CREATE INDEX projects_department ON projects(department_id);"},
        {10, "project progress amounts index",
         /* The ledger's completed investment (src/projects.c figures_of, SQL_DONE_OF_P): a year's months
          * of each project, or of all projects, read from the index alone, no table row
          * (bench/projects). */
         "CREATE INDEX project_progress_amounts ON project_progress(year, project_id, month,"
         "  completed_investment);"},
        {11, "project progress photos",
         /* The photos of a month's progress (月度进展照片), uploaded like case photos
          * (content-addressed, photos.h) and served through the project. */
         "CREATE TABLE project_progress_photos ("
         "  project_id INTEGER NOT NULL REFERENCES projects(id),"
         "  year INTEGER NOT NULL,"
         "  month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),"
         "  sha256 TEXT NOT NULL REFERENCES photos(sha256),"
         "  seq INTEGER NOT NULL,"
         "  PRIMARY KEY (project_id, year, month, sha256));"},
        {12, "one case list index per scope column",
         /* Each scope column (grid, community, street, department, category) had an index for the
          * column alone and one with the status (migration 6): every intake wrote nine B-trees
          * for them. One index per column ordered as the list is (created_at, id), with the
          * status after them, serves both: a page reads the range backwards and checks the
          * status in the index entries, a count of matches stops at the cap. The department
          * keeps its status index too: "department + status" is every handler's list, and a
          * department holds a large share of all cases (docs/PERFORMANCE.md, "Cases"). */
         "DROP INDEX cases_grid;"
         "DROP INDEX cases_grid_status;"
         "DROP INDEX cases_community;"
         "DROP INDEX cases_community_status;"
         "DROP INDEX cases_street_status;"
         "DROP INDEX cases_department;"
         "DROP INDEX cases_category;"
         "DROP INDEX cases_category_status;"
         "CREATE INDEX cases_grid ON cases(grid_code, created_at, id, status);"
         "CREATE INDEX cases_community ON cases(community_code, created_at, id, status);"
         "CREATE INDEX cases_street ON cases(street_code, created_at, id, status);"
         "CREATE INDEX cases_department ON cases(department_id, created_at, id, status);"
         "CREATE INDEX cases_category ON cases(category_code, created_at, id, status);"},
        {13, "project location",
         /* Where a project is: a point (WGS-84) and the unit it lies in, found by locate. */
         "ALTER TABLE projects ADD COLUMN unit_code TEXT REFERENCES units(code);"
         "ALTER TABLE projects ADD COLUMN lat DOUBLE PRECISION;"
         "ALTER TABLE projects ADD COLUMN lon DOUBLE PRECISION;"},
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int db_migration_count(void)
{
	return NMIGRATIONS;
}

static const char SQL_CREATE_META[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                      "  version INTEGER PRIMARY KEY,"
                                      "  name TEXT NOT NULL,"
                                      "  applied_at BIGINT NOT NULL)";
static const char SQL_MAX_VERSION[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
static const char SQL_RECORD[] = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)";

int db_schema_version(struct db *db)
{
	struct db_stmt *st = db_prepare(db, SQL_MAX_VERSION);
	if (!st)
		return -1;
	int v = db_step(st) == DB_ROW ? (int)db_col_i64(st, 0) : -1;
	db_stmt_done(st);
	return v;
}

int db_migrate(struct db *db, struct buf *err)
{
	if (db_exec(db, SQL_CREATE_META) != DB_OK) {
		buf_printf(err, "cannot create schema_migrations: %s", db_errmsg(db));
		return -1;
	}
	int have = db_schema_version(db);
	if (have < 0) {
		buf_printf(err, "cannot read the schema version: %s", db_errmsg(db));
		return -1;
	}
	if (have > NMIGRATIONS) {
		buf_printf(err, "the store is at schema version %d but this zonegov knows only %d: upgrade zonegov",
		           have, NMIGRATIONS);
		return -1;
	}
	int applied = 0;
	for (int i = have; i < NMIGRATIONS; i++) {
		const struct migration *m = &migrations[i];
		if (db_begin(db) != DB_OK) {
			buf_printf(err, "migration %d: cannot begin: %s", m->version, db_errmsg(db));
			return -1;
		}
		if (db_exec(db, m->sql) != DB_OK) {
			buf_printf(err, "migration %d (%s) failed: %s", m->version, m->name, db_errmsg(db));
			db_rollback(db);
			return -1;
		}
		struct db_stmt *st = db_prepare(db, SQL_RECORD);
		int rc = DB_ERROR;
		if (st) {
			db_bind_i64(st, 1, m->version);
			db_bind_text(st, 2, m->name);
			db_bind_i64(st, 3, time_now_ms());
			rc = db_step(st);
			db_stmt_done(st);
		}
		if (rc != DB_DONE || db_commit(db) != DB_OK) {
			buf_printf(err, "migration %d (%s): cannot record: %s", m->version, m->name, db_errmsg(db));
			db_rollback(db);
			return -1;
		}
		applied++;
	}
	return applied;
}
