/* Loads; "loop" never returns and never asks is_cancelled (only killing its process ends it), and neither does
 * every "describe" in a process after the first (the host's, at load), so that a gRPC client can reach the loop
 * through DescribePlugin. "spin" loops on the CPU (for the CPU limit). Other methods answer as
 * fixture-behaviour's. For testing deadlines, cancellation and
 * SIGTERM against a stuck call. */
#include "crm_fixture.h"

static atomic_int describe_calls;

static int32_t loop_call(void *state, const char *method, const uint8_t *request, size_t request_len,
    crm_call_context *ctx, crm_plugin_buffer *response, crm_plugin_error *error)
{
    if (strcmp(method, "loop") == 0 ||
        (strcmp(method, CRM_METHOD_DESCRIBE) == 0 && atomic_fetch_add(&describe_calls, 1) > 0)) {
        fixture_host->log(fixture_host, CRM_LOG_INFO, "looping for ever");
        for (;;) {
            fixture_sleep_ms(10);
        }
    }
    if (strcmp(method, "spin") == 0) {
        /* Burns CPU time, for the CPU limit. */
        for (volatile unsigned long n = 0;; n++) {
        }
    }
    return fixture_call(state, method, request, request_len, ctx, response, error);
}

FIXTURE_CALLING("fixture-loop-call", fixture_init, loop_call)

FIXTURE_ENTRY
