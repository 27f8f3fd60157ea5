/*
 * Test fixtures of the plugin host: small plugins, each broken in one way or
 * behaving in one way, built as shared libraries by the package
 * (libcrmfixture-*.so). Header-only: each fixture includes it once.
 */
#ifndef CRM_FIXTURE_H
#define CRM_FIXTURE_H

#include "crm_plugin.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const crm_host_api *fixture_host;

static void fixture_free_buffer(uint8_t *data, size_t len)
{
    (void)len;
    free(data);
}

static crm_plugin_buffer fixture_copy(const void *bytes, size_t len)
{
    crm_plugin_buffer buffer = {NULL, 0};
    if (len == 0) {
        return buffer;
    }
    buffer.data = malloc(len);
    memcpy(buffer.data, bytes, len);
    buffer.len = len;
    return buffer;
}

static int32_t fixture_fail(crm_plugin_error *error, int32_t code, const char *message)
{
    error->code = code;
    error->message = fixture_copy(message, strlen(message));
    return code;
}

static int32_t fixture_init(const crm_host_api *host, const uint8_t *config, size_t config_len, void **state,
    crm_plugin_error *error)
{
    (void)config;
    (void)config_len;
    (void)error;
    fixture_host = host;
    host->log(host, CRM_LOG_INFO, "fixture initialised");
    *state = NULL;
    return CRM_STATUS_OK;
}

static void fixture_shutdown(void *state)
{
    (void)state;
}

/* A DescribeResponse with methods (field 1) "describe", "fail", "garbage", "slow", "echo", "nap". */
static const uint8_t fixture_describe_bytes[] = {
    0x0A, 8, 'd', 'e', 's', 'c', 'r', 'i', 'b', 'e',
    0x0A, 4, 'f', 'a', 'i', 'l',
    0x0A, 7, 'g', 'a', 'r', 'b', 'a', 'g', 'e',
    0x0A, 4, 's', 'l', 'o', 'w',
    0x0A, 4, 'e', 'c', 'h', 'o',
    0x0A, 3, 'n', 'a', 'p',
};

static atomic_int fixture_active;
static atomic_int fixture_max_active;

static void fixture_sleep_ms(long ms)
{
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

/* describe: the methods above. fail: INVALID_ARGUMENT. garbage: bytes that are no protobuf message.
 * slow: up to 10 s in 10 ms steps, reporting progress, CANCELLED once is_cancelled says so.
 * echo: the request. nap: 100 ms; answers one byte, the most calls seen running at once. */
static int32_t fixture_call(void *state, const char *method, const uint8_t *request, size_t request_len,
    crm_call_context *ctx, crm_plugin_buffer *response, crm_plugin_error *error)
{
    (void)state;
    if (strcmp(method, CRM_METHOD_DESCRIBE) == 0) {
        *response = fixture_copy(fixture_describe_bytes, sizeof fixture_describe_bytes);
        return CRM_STATUS_OK;
    }
    if (strcmp(method, "fail") == 0) {
        return fixture_fail(error, CRM_STATUS_INVALID_ARGUMENT, "fixture failure: as asked");
    }
    if (strcmp(method, "garbage") == 0) {
        static const uint8_t garbage[] = {0xFF, 0xFF, 0xFF, 0x07};
        *response = fixture_copy(garbage, sizeof garbage);
        return CRM_STATUS_OK;
    }
    if (strcmp(method, "slow") == 0) {
        for (int step = 0; step < 1000; step++) {
            if (ctx != NULL && fixture_host->is_cancelled(ctx)) {
                return fixture_fail(error, CRM_STATUS_CANCELLED, "cancelled after steps");
            }
            if (ctx != NULL && step % 10 == 0) {
                fixture_host->report_progress(ctx, step / 1000.0, "sleeping");
            }
            fixture_sleep_ms(10);
        }
        return CRM_STATUS_OK;
    }
    if (strcmp(method, "echo") == 0) {
        *response = fixture_copy(request, request_len);
        return CRM_STATUS_OK;
    }
    if (strcmp(method, "nap") == 0) {
        int now = atomic_fetch_add(&fixture_active, 1) + 1;
        int seen = atomic_load(&fixture_max_active);
        while (now > seen && !atomic_compare_exchange_weak(&fixture_max_active, &seen, now)) {
        }
        fixture_sleep_ms(100);
        atomic_fetch_sub(&fixture_active, 1);
        uint8_t most = (uint8_t)atomic_load(&fixture_max_active);
        *response = fixture_copy(&most, 1);
        return CRM_STATUS_OK;
    }
    return fixture_fail(error, CRM_STATUS_UNIMPLEMENTED, "unknown method");
}

/* A descriptor with every field given; the rest of the plugin is the functions above, or CALL. */
#define FIXTURE_DESCRIPTOR_CALLING(NAME, MAGIC, MAJOR, MINOR, SIZE, FLAGS, INIT, CALL)                  \
    static const crm_plugin_descriptor fixture_descriptor = {                                          \
        .magic = (MAGIC),                                                                              \
        .abi_major = (MAJOR),                                                                          \
        .abi_minor = (MINOR),                                                                          \
        .struct_size = (SIZE),                                                                         \
        .kind = CRM_PLUGIN_KIND_ANALYSIS,                                                              \
        .flags = (FLAGS),                                                                              \
        .name = (NAME),                                                                                \
        .version = "0.0.1",                                                                            \
        .description = "a test fixture of crmd's plugin host",                                          \
        .license = "Apache-2.0",                                                                       \
        .init = (INIT),                                                                                \
        .call = (CALL),                                                                                \
        .free_buffer = fixture_free_buffer,                                                            \
        .shutdown = fixture_shutdown,                                                                  \
    };

#define FIXTURE_DESCRIPTOR(NAME, MAGIC, MAJOR, MINOR, SIZE, FLAGS, INIT)                                \
    FIXTURE_DESCRIPTOR_CALLING(NAME, MAGIC, MAJOR, MINOR, SIZE, FLAGS, INIT, fixture_call)

/* A valid plugin whose init and call are the fixture's own (which may fall back to fixture_call). */
#define FIXTURE_CALLING(NAME, INIT, CALL)                                                               \
    FIXTURE_DESCRIPTOR_CALLING(NAME, CRM_PLUGIN_MAGIC, CRM_PLUGIN_ABI_MAJOR, CRM_PLUGIN_ABI_MINOR,     \
        sizeof(crm_plugin_descriptor), 0, INIT, CALL)

#define FIXTURE_OK(NAME, FLAGS)                                                                         \
    FIXTURE_DESCRIPTOR(NAME, CRM_PLUGIN_MAGIC, CRM_PLUGIN_ABI_MAJOR, CRM_PLUGIN_ABI_MINOR,             \
        sizeof(crm_plugin_descriptor), FLAGS, fixture_init)

#define FIXTURE_ENTRY                                                                                   \
    CRM_PLUGIN_EXPORT const crm_plugin_descriptor *CRM_PLUGIN_ENTRY(void)                               \
    {                                                                                                  \
        return &fixture_descriptor;                                                                    \
    }

#endif
