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

static const crm_plugin_descriptor fixture_descriptor = {
    .magic = CRM_PLUGIN_MAGIC,
    .abi_major = CRM_PLUGIN_ABI_MAJOR,
    .abi_minor = CRM_PLUGIN_ABI_MINOR,
    .struct_size = sizeof(crm_plugin_descriptor),
    .kind = CRM_PLUGIN_KIND_ANALYSIS,
    .flags = 0,
    .name = "fixture-loop-call",
    .version = "0.0.1",
    .description = "a test fixture of crmd's plugin host",
    .license = "Apache-2.0",
    .init = fixture_init,
    .call = loop_call,
    .free_buffer = fixture_free_buffer,
    .shutdown = fixture_shutdown,
};

FIXTURE_ENTRY
