/*
 * The helpers of crm_plugin_support.h, shared by crmd's analysis plugins in
 * C (Plugins/sample-c, Plugins/svm).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include "crm_plugin_support.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* --- errors and responses ------------------------------------------------ */

int32_t crm_fail(crm_plugin_error *error, int32_t code, const char *format, ...)
{
    if (error == NULL) {
        return code;
    }
    error->code = code;
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(NULL, 0, format, arguments);
    va_end(arguments);
    if (length > 0) {
        char *message = malloc((size_t)length + 1);
        if (message != NULL) {
            va_start(arguments, format);
            vsnprintf(message, (size_t)length + 1, format, arguments);
            va_end(arguments);
            error->message.data = (uint8_t *)message;
            error->message.len = (size_t)length; /* without the NUL */
        }
    }
    return code;
}

int32_t crm_respond(const ProtobufCMessage *message, crm_plugin_buffer *response, crm_plugin_error *error)
{
    size_t size = protobuf_c_message_get_packed_size(message);
    if (size == 0) {
        return CRM_STATUS_OK; /* the empty buffer is the all-default message */
    }
    uint8_t *data = malloc(size);
    if (data == NULL) {
        return crm_fail(error, CRM_STATUS_RESOURCE_EXHAUSTED, "no memory for a %zu-byte response", size);
    }
    protobuf_c_message_pack(message, data);
    response->data = data;
    response->len = size;
    return CRM_STATUS_OK;
}

/* --- datasets ------------------------------------------------------------ */

int32_t crm_check_dataset(const Crm__Plugin__V1__Dataset *d, int require_labels, size_t min_classes,
    crm_plugin_error *error)
{
    if (d == NULL) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT, "dataset: missing");
    }
    if (d->n_rows < 0 || d->n_features < 0) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT, "dataset: n_rows and n_features must not be negative");
    }
    if (d->n_values != (size_t)d->n_rows * (size_t)d->n_features) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
            "dataset: values has %zu entries, expected n_rows × n_features = %d × %d", d->n_values, d->n_rows,
            d->n_features);
    }
    for (size_t i = 0; i < d->n_values; i++) {
        if (!isfinite(d->values[i])) {
            return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT, "dataset: value %zu is not finite", i);
        }
    }
    if (d->n_sample_weights != 0) {
        if (d->n_sample_weights != (size_t)d->n_rows) {
            return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT, "dataset: sample_weights has %zu entries for %d rows",
                d->n_sample_weights, d->n_rows);
        }
        for (size_t i = 0; i < d->n_sample_weights; i++) {
            if (!isfinite(d->sample_weights[i]) || d->sample_weights[i] < 0) {
                return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT, "dataset: sample weight of row %zu is invalid", i);
            }
        }
    }
    return require_labels ? crm_check_dataset_labels(d, min_classes, error) : CRM_STATUS_OK;
}

int32_t crm_check_dataset_labels(const Crm__Plugin__V1__Dataset *d, size_t min_classes, crm_plugin_error *error)
{
    if (d->n_class_names == 0 && min_classes > 0) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT, "dataset: class_names is empty");
    }
    if (d->n_class_names < min_classes) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT, "dataset: class_names has %zu entries, at least %zu needed",
            d->n_class_names, min_classes);
    }
    if (d->n_labels != (size_t)d->n_rows) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT, "dataset: labels has %zu entries for %d rows", d->n_labels,
            d->n_rows);
    }
    for (size_t i = 0; i < d->n_labels; i++) {
        if (d->labels[i] < 0 || (size_t)d->labels[i] >= d->n_class_names) {
            return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
                "dataset: label of row %zu is %d, not an index into the %zu class names", i, d->labels[i],
                d->n_class_names);
        }
    }
    return CRM_STATUS_OK;
}

/* --- parameters ---------------------------------------------------------- */

int crm_parse_double(const char *text, double *value)
{
    char *end = NULL;
    errno = 0;
    *value = strtod(text, &end);
    while (end != NULL && (*end == ' ' || *end == '\t')) {
        end++;
    }
    return end != text && end != NULL && *end == '\0' && errno == 0 && isfinite(*value);
}

int crm_parse_int64(const char *text, int64_t *value)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    while (end != NULL && (*end == ' ' || *end == '\t')) {
        end++;
    }
    *value = (int64_t)v;
    return end != text && end != NULL && *end == '\0' && errno == 0;
}

/* --- the host ------------------------------------------------------------ */

double crm_monotonic_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void crm_log(const crm_host_api *host, int32_t level, const char *message)
{
    if (host != NULL && host->log != NULL) {
        host->log(host, level, message);
    }
}

int crm_progress_tick(crm_progress *progress, double fraction)
{
    if (progress->ctx == NULL || progress->host == NULL) {
        return 0;
    }
    if (progress->min_interval <= 0) {
        progress->host->report_progress(progress->ctx, fraction, progress->message);
    } else {
        double t = crm_monotonic_seconds();
        if (t - progress->last_report >= progress->min_interval) {
            progress->last_report = t;
            progress->host->report_progress(progress->ctx, fraction, progress->message);
        }
    }
    return progress->host->is_cancelled(progress->ctx) != 0;
}

int crm_progress_callback(void *context, double fraction)
{
    return crm_progress_tick(context, fraction);
}

void crm_progress_done(const crm_progress *progress)
{
    if (progress->host != NULL && progress->ctx != NULL) {
        progress->host->report_progress(progress->ctx, 1.0, "done");
    }
}
