/*
 * cli_convert.c — `zonegov convert --from gcj02|wgs84 --to wgs84|gcj02`:
 * coordinates from Amap/Tencent (GCJ-02) to WGS-84 and back, through gcj.c.
 *
 * Reads every line of standard input first and checks them all; only when
 * every line is good does it write anything, so bad input leaves stdout
 * empty. A line is "lat,lon" or "lat lon" (decimal degrees, spaces and a
 * trailing CR allowed); a blank line is copied as a blank line, so output
 * line N always answers input line N. Latitude must be finite and within
 * [-90, 90], longitude within [-180, 180]. Output: "lat,lon" with 9
 * decimals (about 0.1 mm). Points outside China's rectangle (gcj.h) pass
 * unchanged.
 *
 * Exit: 0 done, 2 bad usage or a bad line (each reported as
 * "stdin:LINE: why", up to MAX_REPORTED of them), 1 reading or writing failed.
 */
#include "cli.h"
#include "gcj.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPORTED 20

static const char usage[] = "usage: zonegov convert --from gcj02|wgs84 --to wgs84|gcj02 < IN > OUT\n"
                            "Reads lines \"lat,lon\" (or \"lat lon\") in degrees from standard input and writes\n"
                            "\"lat,lon\" with 9 decimals. GCJ-02 is what Amap (Gaode) and Tencent maps use;\n"
                            "WGS-84 is raw GPS. All input is checked before anything is written: a bad line\n"
                            "is reported as stdin:LINE and nothing is written (exit 2). A blank line gives a\n"
                            "blank line. Points outside China are not shifted.\n";

struct point {
	double lat, lon;
	int blank;
};

/* Growing array of points; owned by cli_convert. */
struct points {
	struct point *v;
	size_t n, cap;
};

static int points_push(struct points *p, struct point pt)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 1024;
		struct point *v = realloc(p->v, cap * sizeof *v);
		if (!v)
			return -1;
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = pt;
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

static int parse_crs(const char *s)
{
	if (s && strcmp(s, "gcj02") == 0)
		return 'g';
	if (s && strcmp(s, "wgs84") == 0)
		return 'w';
	return 0;
}

/*
 * Parses line[0..len) (without its newline) into *pt. Returns NULL when it
 * is good, else why not (a constant string).
 */
static const char *parse_line(const char *line, size_t len, struct point *pt)
{
	const char *s = line, *end = line + len;
	char *e;
	memset(pt, 0, sizeof *pt);
	while (s < end && is_space(*s))
		s++;
	if (s == end) {
		pt->blank = 1;
		return NULL;
	}
	pt->lat = strtod(s, &e);
	if (e == s || e > end)
		return "expected 'lat,lon' with numbers";
	s = e;
	while (s < end && is_space(*s))
		s++;
	if (s < end && *s == ',')
		s++;
	else if (s == e)
		return "expected 'lat,lon' with numbers";
	while (s < end && is_space(*s))
		s++;
	if (s == end || *s == ',' || *s == '\0')
		return "expected 'lat,lon' with numbers";
	pt->lon = strtod(s, &e);
	if (e == s || e > end)
		return "expected 'lat,lon' with numbers";
	s = e;
	while (s < end && is_space(*s))
		s++;
	if (s != end) /* also catches a NUL byte inside the line */
		return "expected 'lat,lon' with numbers";
	if (!isfinite(pt->lat) || !isfinite(pt->lon))
		return "expected 'lat,lon' with numbers";
	if (pt->lat < -90.0 || pt->lat > 90.0)
		return "latitude must be within [-90, 90]";
	if (pt->lon < -180.0 || pt->lon > 180.0)
		return "longitude must be within [-180, 180]";
	return NULL;
}

int cli_convert(int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	const struct cli_opt opts[] = {{"from", 1, &from}, {"to", 1, &to}, {NULL, 0, NULL}};
	struct config cfg;
	const char *pos[1];
	int npos;
	config_defaults(&cfg, argv[0]);
	int rc = cli_parse(argc, argv, opts, &cfg, pos, 0, &npos, usage);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	int src = parse_crs(from), dst = parse_crs(to);
	if (!src || !dst) {
		fprintf(stderr, "zonegov convert: give --from and --to, each gcj02 or wgs84\n%s", usage);
		return EXIT_USAGE;
	}
	if (src == dst) {
		fprintf(stderr, "zonegov convert: --from and --to are both %s\n", from);
		return EXIT_USAGE;
	}

	struct points pts = {NULL, 0, 0};
	char *line = NULL;
	size_t linecap = 0, lineno = 0, nbad = 0;
	ssize_t len;
	rc = EXIT_OK;
	while ((len = getline(&line, &linecap, stdin)) >= 0) {
		lineno++;
		size_t n = (size_t)len;
		if (n && line[n - 1] == '\n')
			n--;
		if (n && line[n - 1] == '\r')
			n--;
		struct point pt;
		const char *why = parse_line(line, n, &pt);
		if (why) {
			if (nbad < MAX_REPORTED)
				fprintf(stderr, "zonegov convert: stdin:%zu: %s\n", lineno, why);
			nbad++;
			continue;
		}
		if (!nbad && points_push(&pts, pt)) {
			fprintf(stderr, "zonegov convert: out of memory at stdin:%zu\n", lineno);
			rc = EXIT_RUNTIME;
			goto out;
		}
	}
	if (ferror(stdin)) {
		perror("zonegov convert: reading standard input");
		rc = EXIT_RUNTIME;
		goto out;
	}
	if (nbad) {
		if (nbad > MAX_REPORTED)
			fprintf(stderr, "zonegov convert: ... %zu bad lines in all\n", nbad);
		fprintf(stderr, "zonegov convert: nothing written\n");
		rc = EXIT_USAGE;
		goto out;
	}

	for (size_t i = 0; i < pts.n; i++) {
		const struct point *p = &pts.v[i];
		if (p->blank) {
			fputc('\n', stdout);
			continue;
		}
		double lat, lon;
		if (src == 'g')
			gcj_to_wgs(p->lat, p->lon, &lat, &lon);
		else
			gcj_from_wgs(p->lat, p->lon, &lat, &lon);
		printf("%.9f,%.9f\n", lat, lon);
	}
	if (fflush(stdout) || ferror(stdout)) {
		perror("zonegov convert: writing standard output");
		rc = EXIT_RUNTIME;
	}
out:
	free(line);
	free(pts.v);
	return rc;
}
