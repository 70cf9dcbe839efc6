/* version.h — the release of this build; ZONEGOV_GIT is set by the Makefile. */
#ifndef ZG_VERSION_H
#define ZG_VERSION_H
#define ZONEGOV_VERSION "0.1.0"
#ifndef ZONEGOV_GIT
#define ZONEGOV_GIT "unknown"
#endif
#endif
