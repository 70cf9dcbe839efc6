# zonegov — build, run and test.
#
#   make            build/zonegov and the web front end (build/web)
#   make run        install what is missing, build, create the demo store, serve on 127.0.0.1:8080
#   make test       install what is missing, then unit (ASan+UBSan), API and browser tests
#   make check-style   clang-format check and banned calls
#   V=1             show the commands
#
# Objects: build/obj (release, -O2) and build/debug (ASan+UBSan, for unit tests).

PKGS      := libmicrohttpd sqlite3 jansson libsodium inih geos
PKGS      += xlsxwriter libzip expat
CC        ?= cc
GIT_REV   := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
WARN      := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral -Wstrict-prototypes -Wvla
BASEFLAGS := -std=c11 -D_GNU_SOURCE -DZONEGOV_GIT='"$(GIT_REV)"' $(WARN) -MMD -MP \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS      := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
CFLAGS    ?= -O2 -g
SANFLAGS  := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRC       := $(wildcard src/*.c)
LIBSRC    := $(filter-out src/main.c,$(SRC))
OBJ       := $(SRC:src/%.c=build/obj/%.o)
DBG_OBJ   := $(LIBSRC:src/%.c=build/debug/%.o)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=build/debug/tests/%)
WEB_SRC   := $(shell find web -type f 2>/dev/null)

ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all web data run test unit deps deps-test check-style clean bench
all: build/zonegov web data

build/zonegov: $(OBJ)
	@echo "  LINK  $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $(OBJ) $(LIBS)

build/obj/%.o: src/%.c | build/obj
	@echo "  CC    $<"
	$(Q)$(CC) $(BASEFLAGS) $(CFLAGS) -c -o $@ $<

build/debug/%.o: src/%.c | build/debug/tests
	@echo "  CC    $< (asan+ubsan)"
	$(Q)$(CC) $(BASEFLAGS) $(SANFLAGS) -c -o $@ $<

build/debug/tests/%: tests/unit/%.c $(DBG_OBJ) | build/debug/tests
	@echo "  TEST  $@"
	$(Q)$(CC) $(BASEFLAGS) $(SANFLAGS) -Isrc -o $@ $< $(DBG_OBJ) $(LIBS) $(shell pkg-config --libs cmocka 2>/dev/null)

build/obj build/debug/tests:
	$(Q)mkdir -p $@

# Front end: npm packages from the committed package-lock.json, copied into build/web.
node_modules/.package-lock.json: package.json package-lock.json
	@echo "  NPM   ci"
	$(Q)npm ci --no-audit --no-fund --loglevel=error
	$(Q)touch $@

build/web/.stamp: node_modules/.package-lock.json scripts/build-web.sh $(WEB_SRC)
	@echo "  WEB   build/web"
	$(Q)scripts/build-web.sh build/web
	$(Q)touch $@

web: build/web/.stamp

# Holiday calendars (src/workcal.c reads holidays_dir, default data/holidays beside the binary).
build/data/holidays/.stamp: $(wildcard data/holidays/*)
	@echo "  DATA  build/data/holidays"
	$(Q)mkdir -p build/data/holidays
	$(Q)cp data/holidays/* build/data/holidays/
	$(Q)touch $@

data: build/data/holidays/.stamp

unit: $(UNIT_BIN)

deps:
	$(Q)scripts/deps.sh

deps-test:
	$(Q)scripts/deps.sh test

run: deps
	$(Q)$(MAKE) --no-print-directory -j2 all
	$(Q)scripts/run.sh

test: deps-test
	$(Q)$(MAKE) --no-print-directory -j2 all unit
	$(Q)scripts/test.sh

bench:
	$(Q)scripts/deps.sh bench
	$(Q)$(MAKE) --no-print-directory -j2 all
	$(Q)bench/http/run.sh
	$(Q)bench/projects/run.sh

check-style:
	$(Q)scripts/check-style.sh

clean:
	rm -rf build

# Keep the debug objects: make would treat them as intermediates and delete them.
.SECONDARY: $(DBG_OBJ)

-include $(OBJ:.o=.d) $(DBG_OBJ:.o=.d) $(UNIT_BIN:=.d)
