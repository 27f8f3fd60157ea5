/* Loads: its first `describe` (the host's, at load) answers at once; every later one works for up to
 * 10 s in 10 ms steps and, once is_cancelled says so, logs "describe cancelled" and returns CANCELLED.
 * For testing that a gRPC caller going away cancels the plugin call behind it. */
#include "crm_fixture.h"

static atomic_int describe_calls;

static int32_t slow_describe_call(void *state, const char *method, const uint8_t *request, size_t request_len,
    crm_call_context *ctx, crm_plugin_buffer *response, crm_plugin_error *error)
{
    if (strcmp(method, CRM_METHOD_DESCRIBE) != 0 || atomic_fetch_add(&describe_calls, 1) == 0) {
        return fixture_call(state, method, request, request_len, ctx, response, error);
    }
    for (int step = 0; step < 1000; step++) {
        if (ctx != NULL && fixture_host->is_cancelled(ctx)) {
            fixture_host->log(fixture_host, CRM_LOG_NOTICE, "describe cancelled");
            return fixture_fail(error, CRM_STATUS_CANCELLED, "cancelled");
        }
        fixture_sleep_ms(10);
    }
    return fixture_call(state, method, request, request_len, ctx, response, error);
}

FIXTURE_CALLING("fixture-slow-describe", fixture_init, slow_describe_call)

FIXTURE_ENTRY
