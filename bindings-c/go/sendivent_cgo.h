/* The one header every cgo preamble of this package includes: libsendivent's API, after checking
 * that the library this build links is there. */
#ifndef SENDIVENT_CGO_H
#define SENDIVENT_CGO_H

/* Without -tags sendivent_system the package links target/release/libsendivent.a of the
 * sendivent-sdk checkout it lives in; outside a checkout (a module download) neither the library
 * nor the header is next to it. Say what to do, instead of a compiler or linker error. */
#if !defined(SENDIVENT_SYSTEM) && !(__has_include(<libsendivent.a>) && __has_include(<sendivent.h>))
#error "libsendivent not found: build with -tags sendivent_system against an installed libsendivent (make install PREFIX=/usr/local, or bindings-c/build.sh install PREFIX, then PKG_CONFIG_PATH=PREFIX/lib/pkgconfig go build -tags sendivent_system), or inside a sendivent-sdk checkout run bindings-c/build.sh lib release first"
#endif

#include <stdlib.h>

#include <sendivent.h>

#endif
