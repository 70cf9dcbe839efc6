/*
 * log.h — leveled log lines to stderr, each written with one write(2) so
 * lines from different threads never interleave.
 *
 * Format: `2026-11-22T10:00:00.123+08:00 LEVEL message`. The level is set
 * once at start (log_set_level) before threads start.
 */
#ifndef ZG_LOG_H
#define ZG_LOG_H

enum log_level { LOG_DEBUG = 0, LOG_INFO = 1, LOG_WARN = 2, LOG_ERROR = 3 };

void log_set_level(enum log_level lvl);
int log_parse_level(const char *s, enum log_level *out);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
