/*
 * gcj.h — GCJ-02 ("Mars coordinates", used by Amap/Gaode and Tencent maps)
 * to and from WGS-84, in degrees. BD-09 (Baidu) is not covered.
 *
 * Pure functions: no global state, safe from any thread. The formulas and
 * constants (Krasovsky a = 6378245.0, ee = 0.00669342162296594323) follow
 * wandergis/coordtransform and googollee/eviltransform; see
 * shared/domain/cn-standards.md §3.
 *
 * "In China" is a rectangle only, wandergis's variant:
 * 73.66 < lon < 135.05 and 3.86 < lat < 53.55 (open bounds). A point
 * outside it, and any point with a NaN or infinite coordinate, passes
 * through both directions unchanged. Each direction tests the point it is
 * given: within about 0.01° of the rectangle's edges a WGS point just
 * outside may have a GCJ image just inside (or the reverse), where the two
 * functions are not each other's inverse. The north and east sides run
 * close to the country's extreme points (about 53°33'N near 漠河, 135°05'E
 * at the 黑龙江/乌苏里江 confluence); no development zone is near them.
 */
#ifndef ZG_GCJ_H
#define ZG_GCJ_H

/* 1 when (lat, lon) lies outside the rectangle above (or is not finite), else 0. */
int gcj_out_of_china(double lat, double lon);

/*
 * WGS-84 (lat, lon) → GCJ-02 (*glat, *glon). Outside China the point is
 * copied unchanged. glat and glon must not be NULL; they may point at the
 * caller's input variables (both outputs are written last).
 */
void gcj_from_wgs(double lat, double lon, double *glat, double *glon);

/*
 * GCJ-02 (glat, glon) → WGS-84 (*lat, *lon): the exact inverse of the
 * forward formula, by fixed-point iteration w ← w + (g − forward(w)) from
 * w = g. It stops after the step whose residual |forward(w) − g| was under
 * 1e-9° in both axes (the map contracts by about 200× per step, so the
 * returned point is closer still; 3 to 5 steps over mainland China), or after 20
 * steps. The forward formula used inside is not clipped to the rectangle,
 * so points near its edges converge too. Outside China (as tested on the
 * GCJ point) the point is copied unchanged. lat and lon must not be NULL.
 */
void gcj_to_wgs(double glat, double glon, double *lat, double *lon);

#endif
