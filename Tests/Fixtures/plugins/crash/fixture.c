/* Loads; its calls end the process that runs them: "crash" dereferences NULL (SIGSEGV), "abort" calls abort()
 * (SIGABRT), "exit" calls exit(3). "pid" answers the process id (4 bytes, little-endian); every other method
 * echoes the request. The first "describe" in a process (the host's, at load) answers; every later one does
 * what the setting on_describe says: "abort", "exit", or (by default) "crash" — so that a gRPC client can
 * reach the crash through DescribePlugin. For testing that a plugin's crash ends only its own call, never
 * crmd. */
#define _GNU_SOURCE
#include "crm_fixture.h"

#include <unistd.h>

static atomic_int describe_calls;
static char on_describe[16] = "crash";

/* Finds the settings entry {key "on_describe", value V} in the PluginConfig bytes: a map entry is encoded as
 * 0x0A len key 0x12 len value. Enough for a fixture; a real plugin decodes the message. */
static int32_t crash_init(const crm_host_api *host, const uint8_t *config, size_t config_len, void **state,
    crm_plugin_error *error)
{
    static const char key[] = "on_describe";
    const uint8_t *found = config_len ? memmem(config, config_len, key, sizeof key - 1) : NULL;
    if (found != NULL) {
        const uint8_t *value = found + sizeof key - 1;
        if (value + 2 <= config + config_len && value[0] == 0x12 && value[1] < sizeof on_describe &&
            value + 2 + value[1] <= config + config_len) {
            memcpy(on_describe, value + 2, value[1]);
            on_describe[value[1]] = 0;
        }
    }
    return fixture_init(host, config, config_len, state, error);
}

static int32_t crash_call(void *state, const char *method, const uint8_t *request, size_t request_len,
    crm_call_context *ctx, crm_plugin_buffer *response, crm_plugin_error *error)
{
    if (strcmp(method, CRM_METHOD_DESCRIBE) == 0) {
        if (atomic_fetch_add(&describe_calls, 1) == 0) {
            return fixture_call(state, method, request, request_len, ctx, response, error);
        }
        method = on_describe;
    }
    if (strcmp(method, "crash") == 0) {
        /* Volatile pointer: the compiler cannot see it is NULL and turn the store into a trap instruction. */
        volatile int *volatile nowhere = NULL;
        *nowhere = 1;
    }
    if (strcmp(method, "abort") == 0) {
        abort();
    }
    if (strcmp(method, "exit") == 0) {
        exit(3);
    }
    if (strcmp(method, "pid") == 0) {
        uint32_t pid = (uint32_t)getpid();
        uint8_t bytes[4] = {pid & 0xFF, (pid >> 8) & 0xFF, (pid >> 16) & 0xFF, (pid >> 24) & 0xFF};
        *response = fixture_copy(bytes, sizeof bytes);
        return CRM_STATUS_OK;
    }
    *response = fixture_copy(request, request_len);
    return CRM_STATUS_OK;
}

FIXTURE_CALLING("fixture-crash", crash_init, crash_call)

FIXTURE_ENTRY
