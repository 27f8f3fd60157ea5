/* Loads; "hog" allocates 8 GiB in 64 MiB blocks and writes every page, logging "allocated N MiB" every GiB;
 * when an allocation fails it logs "allocation failed after N MiB" and aborts, as a Swift plugin traps on a
 * failed allocation. So does every "describe" in a process after the first (the host's, at load), so that a gRPC
 * client can reach it through DescribePlugin. Every other method echoes. For testing the memory limit of a
 * plugin's process. */
#include "crm_fixture.h"

static atomic_int describe_calls;
/* Each block escapes through here, or an optimising compiler drops the unused malloc and memset
 * (a release build "allocated 8 GiB" in a millisecond). */
static char *volatile last_block;

#include <stdio.h>

static int32_t hog_call(void *state, const char *method, const uint8_t *request, size_t request_len,
    crm_call_context *ctx, crm_plugin_buffer *response, crm_plugin_error *error)
{
    if (strcmp(method, "hog") == 0 ||
        (strcmp(method, CRM_METHOD_DESCRIBE) == 0 && atomic_fetch_add(&describe_calls, 1) > 0)) {
        const size_t block = (size_t)64 << 20;
        char line[96];
        for (size_t total = 0; total < ((size_t)8 << 30); total += block) {
            char *bytes = malloc(block);
            if (bytes == NULL) {
                snprintf(line, sizeof line, "allocation failed after %zu MiB", total >> 20);
                fixture_host->log(fixture_host, CRM_LOG_WARNING, line);
                abort();
            }
            memset(bytes, 0x5A, block);
            last_block = bytes;
            if (((total + block) & (((size_t)1 << 30) - 1)) == 0) {
                snprintf(line, sizeof line, "allocated %zu MiB", (total + block) >> 20);
                fixture_host->log(fixture_host, CRM_LOG_INFO, line);
            }
        }
        return fixture_fail(error, CRM_STATUS_INTERNAL, "allocated 8 GiB: no memory limit stopped it");
    }
    if (strcmp(method, CRM_METHOD_DESCRIBE) == 0) {
        return fixture_call(state, method, request, request_len, ctx, response, error);
    }
    *response = fixture_copy(request, request_len);
    return CRM_STATUS_OK;
}

FIXTURE_CALLING("fixture-hog", fixture_init, hog_call)

FIXTURE_ENTRY
