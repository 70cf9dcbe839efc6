/*
 * cli_serve.c — `zonegov serve`: run the server until SIGTERM or SIGINT.
 *
 * The signals are blocked in every thread and taken by sigwait in the main
 * thread, which then stops accepting, lets in-flight requests finish (up
 * to 10 s) and closes the store.
 */
#include "buf.h"
#include "cli.h"
#include "log.h"
#include "server.h"
#include "version.h"

#include <signal.h>
#include <stdio.h>

static const char usage[] = "usage: zonegov serve [--db FILE] [--listen HOST:PORT] [--config FILE] [--KEY VALUE ...]\n"
                            "Serves the web app and the API until SIGTERM or SIGINT.\n\n";

int cli_serve(int argc, char **argv)
{
	struct config cfg;
	const char *pos[1];
	int npos;
	config_defaults(&cfg, argv[0]);
	int rc = cli_parse(argc, argv, NULL, &cfg, pos, 0, &npos, usage);
	if (rc < 0) {
		config_print_reference();
		return EXIT_OK;
	}
	if (rc)
		return rc;

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	static struct server srv; /* large; lives for the whole run */
	struct buf err;
	buf_init(&err, 1024);
	if (server_start(&srv, &cfg, &err)) {
		fprintf(stderr, "zonegov serve: %s\n", buf_cstr(&err));
		buf_release(&err);
		return EXIT_RUNTIME;
	}
	buf_release(&err);
	log_info("zonegov %s serving http://%s (store %s, %d threads, web %s)", ZONEGOV_VERSION, cfg.listen, cfg.db,
	         srv.threads, srv.web_root_real[0] ? srv.web_root_real : "none");

	int sig = 0;
	do {
		sigwait(&set, &sig);
	} while (sig == SIGHUP); /* reserved for reloading; ignored for now */
	log_info("signal %d: finishing in-flight requests", sig);
	server_stop(&srv, 10000);
	log_info("stopped cleanly");
	return EXIT_OK;
}
