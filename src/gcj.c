/*
 * gcj.c — GCJ-02 ↔ WGS-84; see gcj.h for the contract.
 *
 * delta() is the published obfuscation formula, evaluated at a WGS point;
 * forward is wgs + delta(wgs). The inverse solves w + delta(w) = g by
 * fixed-point iteration; delta changes by at most ~0.005° per degree, so
 * each step shrinks the error about 200 times.
 */
#include "gcj.h"

#include <math.h>

#define GCJ_A 6378245.0               /* Krasovsky 1940 semi-major axis, metres */
#define GCJ_EE 0.00669342162296594323 /* Krasovsky 1940 eccentricity squared */
#define GCJ_PI 3.14159265358979323846
#define GCJ_INVERSE_TOL_DEG 1e-9
#define GCJ_INVERSE_MAX_STEPS 20

int gcj_out_of_china(double lat, double lon)
{
	/* Written so that NaN (every comparison false) counts as outside. */
	return !(lon > 73.66 && lon < 135.05 && lat > 3.86 && lat < 53.55);
}

static double transform_lat(double x, double y)
{
	double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x));
	r += (20.0 * sin(6.0 * x * GCJ_PI) + 20.0 * sin(2.0 * x * GCJ_PI)) * 2.0 / 3.0;
	r += (20.0 * sin(y * GCJ_PI) + 40.0 * sin(y / 3.0 * GCJ_PI)) * 2.0 / 3.0;
	r += (160.0 * sin(y / 12.0 * GCJ_PI) + 320.0 * sin(y * GCJ_PI / 30.0)) * 2.0 / 3.0;
	return r;
}

static double transform_lon(double x, double y)
{
	double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));
	r += (20.0 * sin(6.0 * x * GCJ_PI) + 20.0 * sin(2.0 * x * GCJ_PI)) * 2.0 / 3.0;
	r += (20.0 * sin(x * GCJ_PI) + 40.0 * sin(x / 3.0 * GCJ_PI)) * 2.0 / 3.0;
	r += (150.0 * sin(x / 12.0 * GCJ_PI) + 300.0 * sin(x / 30.0 * GCJ_PI)) * 2.0 / 3.0;
	return r;
}

/* The GCJ offset at WGS point (lat, lon), in degrees; no rectangle test. */
static void delta(double lat, double lon, double *dlat, double *dlon)
{
	double x = lon - 105.0, y = lat - 35.0;
	double rad_lat = lat / 180.0 * GCJ_PI;
	double magic = 1.0 - GCJ_EE * sin(rad_lat) * sin(rad_lat);
	double sm = sqrt(magic);
	*dlat = transform_lat(x, y) * 180.0 / ((GCJ_A * (1.0 - GCJ_EE)) / (magic * sm) * GCJ_PI);
	*dlon = transform_lon(x, y) * 180.0 / (GCJ_A / sm * cos(rad_lat) * GCJ_PI);
}

void gcj_from_wgs(double lat, double lon, double *glat, double *glon)
{
	double dlat = 0.0, dlon = 0.0;
	if (!gcj_out_of_china(lat, lon))
		delta(lat, lon, &dlat, &dlon);
	*glat = lat + dlat;
	*glon = lon + dlon;
}

void gcj_to_wgs(double glat, double glon, double *lat, double *lon)
{
	double wlat = glat, wlon = glon;
	if (!gcj_out_of_china(glat, glon)) {
		for (int step = 0; step < GCJ_INVERSE_MAX_STEPS; step++) {
			double dlat, dlon;
			delta(wlat, wlon, &dlat, &dlon);
			double rlat = glat - (wlat + dlat), rlon = glon - (wlon + dlon);
			wlat += rlat;
			wlon += rlon;
			if (fabs(rlat) < GCJ_INVERSE_TOL_DEG && fabs(rlon) < GCJ_INVERSE_TOL_DEG)
				break;
		}
	}
	*lat = wlat;
	*lon = wlon;
}
