/* The admin API of sendivent-mock for the C tests: GET /_mock/state over a plain socket. Not part
 * of libsendivent. */
#ifndef SENDIVENT_TEST_MOCK_H
#define SENDIVENT_TEST_MOCK_H

#include "json.h"

/* The mock's state (tests/mock-server/README.md "Admin API") at `base_url`
 * (http://127.0.0.1:PORT), or NULL with a message on stderr. Free it with json_free. */
json *mock_state(const char *base_url);

#endif
