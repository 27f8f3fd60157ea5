/*
 * A sample crmd analysis plugin in C: Gaussian naive Bayes
 * (scikit-learn's GaussianNB), written against crm_plugin.h, the
 * protobuf-c code generated from proto/crm/plugin/v1 and the helpers the
 * in-tree C plugins share (crm_plugin_support.h: errors, responses, dataset
 * checks, parameter parsing, logging, progress).
 *
 * Thread safety: the state holds only the host's callback table, and every
 * call works on its own memory, so concurrent calls are safe and the
 * descriptor does not set CRM_PLUGIN_FLAG_SERIAL.
 *
 * Memory: every buffer handed to the host (responses, error messages) comes
 * from malloc, and free_buffer is free().
 */
#define _POSIX_C_SOURCE 200809L /* strdup, strtok_r */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/plugin/v1/analysis.pb-c.h"
#include "crm/plugin/v1/plugin.pb-c.h"
#include "crm_plugin.h"
#include "crm_plugin_support.h"
#include "gaussian_nb.h"

#define ALGORITHM "gaussian-nb"
#define DEFAULT_VAR_SMOOTHING "1e-09"

typedef struct plugin_state {
    const crm_host_api *host;
} plugin_state;

/* --- helpers ------------------------------------------------------------- */

/* Those every in-tree C plugin needs are in crm_plugin_support.h. */

/* Reads "0.2,0.8" (also "(0.2, 0.8)" and "[0.2, 0.8]") into exactly `count` doubles. */
static int parse_double_list(const char *text, double *values, size_t count)
{
    char *copy = strdup(text);
    if (copy == NULL) {
        return 0;
    }
    char *body = copy;
    size_t length = strlen(body);
    if (length >= 2 && ((body[0] == '(' && body[length - 1] == ')') || (body[0] == '[' && body[length - 1] == ']'))) {
        body[length - 1] = '\0';
        body++;
    }
    size_t found = 0;
    int ok = 1;
    char *saved = NULL;
    for (char *item = strtok_r(body, ",", &saved); item != NULL; item = strtok_r(NULL, ",", &saved)) {
        while (*item == ' ') {
            item++;
        }
        if (found == count || !crm_parse_double(item, &values[found])) {
            ok = 0;
            break;
        }
        found++;
    }
    free(copy);
    return ok && found == count;
}

/* --- describe ------------------------------------------------------------ */

static int32_t describe(crm_plugin_buffer *response, crm_plugin_error *error)
{
    Crm__Plugin__V1__Parameter var_smoothing = CRM__PLUGIN__V1__PARAMETER__INIT;
    var_smoothing.name = "var_smoothing";
    var_smoothing.type = CRM__PLUGIN__V1__PARAMETER_TYPE__PARAMETER_TYPE_DOUBLE;
    var_smoothing.default_value = DEFAULT_VAR_SMOOTHING;
    var_smoothing.description = "Portion of the largest variance of all features that is added to variances "
                                "for calculation stability.";
    var_smoothing.lower_bound_case = CRM__PLUGIN__V1__PARAMETER__LOWER_BOUND_MINIMUM;
    var_smoothing.minimum = 0;

    Crm__Plugin__V1__Parameter priors = CRM__PLUGIN__V1__PARAMETER__INIT;
    priors.name = "priors";
    priors.type = CRM__PLUGIN__V1__PARAMETER_TYPE__PARAMETER_TYPE_DOUBLE_LIST;
    priors.default_value = "None";
    priors.nullable = 1;
    priors.description = "Prior probabilities of the classes, one per class in class order, summing to 1; "
                         "None uses the class frequencies of the training data.";
    priors.lower_bound_case = CRM__PLUGIN__V1__PARAMETER__LOWER_BOUND_MINIMUM;
    priors.minimum = 0;
    priors.upper_bound_case = CRM__PLUGIN__V1__PARAMETER__UPPER_BOUND_MAXIMUM;
    priors.maximum = 1;

    Crm__Plugin__V1__Parameter *parameters[] = {&var_smoothing, &priors};
    Crm__Plugin__V1__Algorithm algorithm = CRM__PLUGIN__V1__ALGORITHM__INIT;
    algorithm.name = ALGORITHM;
    algorithm.display_name = "Gaussian naive Bayes";
    algorithm.description = "Models each feature within each class as an independent normal distribution. "
                            "Very fast, calibrated poorly but ranks well; a strong baseline on few rows.";
    algorithm.n_parameters = 2;
    algorithm.parameters = parameters;
    algorithm.sklearn_equivalent = "sklearn.naive_bayes.GaussianNB";
    algorithm.supports_probabilities = 1;
    algorithm.supports_sample_weights = 1;
    algorithm.supports_progress = 1;

    Crm__Plugin__V1__Algorithm *algorithms[] = {&algorithm};
    char *methods[] = {CRM_METHOD_DESCRIBE, CRM_METHOD_TRAIN, CRM_METHOD_PREDICT};
    Crm__Plugin__V1__DescribeResponse description = CRM__PLUGIN__V1__DESCRIBE_RESPONSE__INIT;
    description.n_methods = 3;
    description.methods = methods;
    description.n_algorithms = 1;
    description.algorithms = algorithms;
    return crm_respond(&description.base, response, error);
}

/* --- train --------------------------------------------------------------- */

static int32_t train_decoded(const plugin_state *state, const Crm__Plugin__V1__TrainRequest *request,
    crm_call_context *ctx, crm_plugin_buffer *response, crm_plugin_error *error)
{
    if (strcmp(request->algorithm, ALGORITHM) != 0) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
            "unknown algorithm \"%.100s\"; this plugin offers " ALGORITHM, request->algorithm);
    }
    const Crm__Plugin__V1__Dataset *d = request->dataset;
    int32_t status = crm_check_dataset(d, 1, 1, error);
    if (status != CRM_STATUS_OK) {
        return status;
    }
    const uint32_t n_classes = (uint32_t)d->n_class_names;

    /* Parameters: var_smoothing, priors; anything else is refused. */
    const char *var_smoothing_text = DEFAULT_VAR_SMOOTHING;
    const char *priors_text = "None";
    for (size_t i = 0; i < request->n_parameters; i++) {
        const char *key = request->parameters[i]->key;
        if (strcmp(key, "var_smoothing") == 0) {
            var_smoothing_text = request->parameters[i]->value;
        } else if (strcmp(key, "priors") == 0) {
            priors_text = request->parameters[i]->value;
        } else {
            return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
                "unknown parameter \"%.100s\" for algorithm " ALGORITHM "; it accepts: var_smoothing, priors", key);
        }
    }
    double var_smoothing;
    if (!crm_parse_double(var_smoothing_text, &var_smoothing) || var_smoothing < 0) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
            "parameter \"var_smoothing\" of algorithm " ALGORITHM " must be a number ≥ 0, not \"%.100s\"",
            var_smoothing_text);
    }
    double *priors = NULL;
    if (strcmp(priors_text, "None") != 0) {
        priors = calloc(n_classes, sizeof(double));
        if (priors == NULL) {
            return crm_fail(error, CRM_STATUS_RESOURCE_EXHAUSTED, "no memory");
        }
        double sum = 0;
        int ok = parse_double_list(priors_text, priors, n_classes);
        for (uint32_t k = 0; ok && k < n_classes; k++) {
            ok = priors[k] >= 0 && priors[k] <= 1;
            sum += priors[k];
        }
        if (!ok || fabs(sum - 1.0) > 1e-6) {
            free(priors);
            return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
                "parameter \"priors\" of algorithm " ALGORITHM
                " must be None or %u numbers in [0, 1] summing to 1, not \"%.100s\"",
                n_classes, priors_text);
        }
    }

    crm_progress progress = {state->host, ctx, "fitting class statistics", 0, 0};
    gnb_model model;
    int fitted = gnb_fit(&model, d->values, d->labels, d->n_sample_weights ? d->sample_weights : NULL,
        (size_t)d->n_rows, (uint32_t)d->n_features, n_classes, var_smoothing, priors, crm_progress_callback, &progress);
    free(priors);
    if (fitted == GNB_CANCELLED) {
        return crm_fail(error, CRM_STATUS_CANCELLED, "training was cancelled");
    }
    if (fitted != GNB_OK) {
        return crm_fail(error, CRM_STATUS_RESOURCE_EXHAUSTED, "no memory to fit %d rows", d->n_rows);
    }

    /* Training accuracy, and a note for each class without rows. */
    double *probabilities = calloc(n_classes, sizeof(double));
    size_t correct = 0;
    for (int32_t r = 0; probabilities != NULL && r < d->n_rows; r++) {
        correct += gnb_predict_row(&model, d->values + (size_t)r * (size_t)d->n_features, probabilities) == d->labels[r];
    }
    free(probabilities);
    char **notes = calloc(n_classes, sizeof(char *));
    size_t n_notes = 0;
    for (uint32_t k = 0; notes != NULL && k < n_classes; k++) {
        if (!isfinite(model.log_prior[k])) {
            char note[256];
            snprintf(note, sizeof note, "class \"%.100s\" has no training rows and is never predicted",
                d->class_names[k]);
            notes[n_notes] = strdup(note);
            if (notes[n_notes] != NULL) {
                n_notes++;
            }
        }
    }

    size_t model_length = 0;
    uint8_t *model_bytes = gnb_serialize(&model, &model_length);
    gnb_free(&model);
    if (model_bytes == NULL) {
        status = crm_fail(error, CRM_STATUS_RESOURCE_EXHAUSTED, "no memory for the model");
    } else {
        Crm__Plugin__V1__TrainResponse__MetricsEntry accuracy = CRM__PLUGIN__V1__TRAIN_RESPONSE__METRICS_ENTRY__INIT;
        accuracy.key = "train_accuracy";
        accuracy.value = d->n_rows > 0 ? (double)correct / (double)d->n_rows : 0;
        Crm__Plugin__V1__TrainResponse__MetricsEntry *metrics[] = {&accuracy};
        Crm__Plugin__V1__TrainResponse__EffectiveParametersEntry smoothing =
            CRM__PLUGIN__V1__TRAIN_RESPONSE__EFFECTIVE_PARAMETERS_ENTRY__INIT;
        smoothing.key = "var_smoothing";
        smoothing.value = (char *)var_smoothing_text;
        Crm__Plugin__V1__TrainResponse__EffectiveParametersEntry prior =
            CRM__PLUGIN__V1__TRAIN_RESPONSE__EFFECTIVE_PARAMETERS_ENTRY__INIT;
        prior.key = "priors";
        prior.value = (char *)priors_text;
        Crm__Plugin__V1__TrainResponse__EffectiveParametersEntry *effective[] = {&smoothing, &prior};

        Crm__Plugin__V1__TrainResponse trained = CRM__PLUGIN__V1__TRAIN_RESPONSE__INIT;
        trained.model.data = model_bytes;
        trained.model.len = model_length;
        trained.n_metrics = 1;
        trained.metrics = metrics;
        trained.n_effective_parameters = 2;
        trained.effective_parameters = effective;
        trained.n_notes = n_notes;
        trained.notes = notes;
        status = crm_respond(&trained.base, response, error);
        free(model_bytes);
    }
    for (size_t i = 0; i < n_notes; i++) {
        free(notes[i]);
    }
    free(notes);
    if (status == CRM_STATUS_OK) {
        crm_progress_done(&progress);
    }
    return status;
}

/* --- predict ------------------------------------------------------------- */

static int32_t predict_decoded(const plugin_state *state, const Crm__Plugin__V1__PredictRequest *request,
    crm_call_context *ctx, crm_plugin_buffer *response, crm_plugin_error *error)
{
    const Crm__Plugin__V1__Dataset *d = request->dataset;
    int32_t status = crm_check_dataset(d, 0, 0, error);
    if (status != CRM_STATUS_OK) {
        return status;
    }
    gnb_model model;
    if (gnb_deserialize(&model, request->model.data, request->model.len) != 0) {
        return crm_fail(error, CRM_STATUS_FAILED_PRECONDITION, "the model bytes are not a " ALGORITHM " model");
    }
    if ((uint32_t)d->n_features != model.n_features) {
        status = crm_fail(error, CRM_STATUS_INVALID_ARGUMENT, "the model was trained on %u features, the rows have %d",
            model.n_features, d->n_features);
        gnb_free(&model);
        return status;
    }
    size_t rows = (size_t)d->n_rows;
    int32_t *classes = malloc((rows ? rows : 1) * sizeof(int32_t));
    double *probabilities = malloc((rows ? rows : 1) * model.n_classes * sizeof(double));
    if (classes == NULL || probabilities == NULL) {
        status = crm_fail(error, CRM_STATUS_RESOURCE_EXHAUSTED, "no memory to predict %zu rows", rows);
    } else {
        for (size_t r = 0; r < rows; r++) {
            if (r % 65536 == 0 && r > 0 && ctx != NULL && state->host != NULL) {
                if (state->host->is_cancelled(ctx)) {
                    status = crm_fail(error, CRM_STATUS_CANCELLED, "prediction was cancelled");
                    break;
                }
                state->host->report_progress(ctx, (double)r / (double)rows, "predicting");
            }
            classes[r] = gnb_predict_row(&model, d->values + r * (size_t)d->n_features,
                probabilities + r * model.n_classes);
        }
        if (status == CRM_STATUS_OK) {
            Crm__Plugin__V1__PredictResponse predicted = CRM__PLUGIN__V1__PREDICT_RESPONSE__INIT;
            predicted.n_predicted_classes = rows;
            predicted.predicted_classes = classes;
            predicted.n_classes = (int32_t)model.n_classes;
            predicted.n_probabilities = rows * model.n_classes;
            predicted.probabilities = probabilities;
            status = crm_respond(&predicted.base, response, error);
        }
    }
    free(classes);
    free(probabilities);
    gnb_free(&model);
    return status;
}

/* --- the descriptor's functions ------------------------------------------ */

static int32_t plugin_init(const crm_host_api *host, const uint8_t *config, size_t config_len, void **state,
    crm_plugin_error *error)
{
    Crm__Plugin__V1__PluginConfig *configuration = crm__plugin__v1__plugin_config__unpack(NULL, config_len, config);
    if (configuration == NULL) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
            "the configuration is not a valid crm.plugin.v1.PluginConfig");
    }
    plugin_state *s = calloc(1, sizeof *s);
    if (s == NULL) {
        crm__plugin__v1__plugin_config__free_unpacked(configuration, NULL);
        return crm_fail(error, CRM_STATUS_RESOURCE_EXHAUSTED, "no memory");
    }
    s->host = host;
    for (size_t i = 0; i < configuration->n_settings; i++) {
        char message[200];
        snprintf(message, sizeof message, "ignoring unknown setting \"%.100s\"", configuration->settings[i]->key);
        crm_log(s->host, CRM_LOG_WARNING, message);
    }
    crm__plugin__v1__plugin_config__free_unpacked(configuration, NULL);
    *state = s;
    return CRM_STATUS_OK;
}

static int32_t plugin_call(void *state, const char *method, const uint8_t *request, size_t request_len,
    crm_call_context *ctx, crm_plugin_buffer *response, crm_plugin_error *error)
{
    const plugin_state *s = state;
    if (strcmp(method, CRM_METHOD_DESCRIBE) == 0) {
        return describe(response, error);
    }
    if (strcmp(method, CRM_METHOD_TRAIN) == 0) {
        Crm__Plugin__V1__TrainRequest *decoded = crm__plugin__v1__train_request__unpack(NULL, request_len, request);
        if (decoded == NULL) {
            return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
                "the train request is not a valid crm.plugin.v1.TrainRequest");
        }
        int32_t status = train_decoded(s, decoded, ctx, response, error);
        crm__plugin__v1__train_request__free_unpacked(decoded, NULL);
        return status;
    }
    if (strcmp(method, CRM_METHOD_PREDICT) == 0) {
        Crm__Plugin__V1__PredictRequest *decoded = crm__plugin__v1__predict_request__unpack(NULL, request_len, request);
        if (decoded == NULL) {
            return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
                "the predict request is not a valid crm.plugin.v1.PredictRequest");
        }
        int32_t status = predict_decoded(s, decoded, ctx, response, error);
        crm__plugin__v1__predict_request__free_unpacked(decoded, NULL);
        return status;
    }
    return crm_fail(error, CRM_STATUS_UNIMPLEMENTED,
        "plugin " ALGORITHM " has no method \"%.100s\"; it offers describe, train, predict", method);
}

static void plugin_free_buffer(uint8_t *data, size_t len)
{
    (void)len;
    free(data);
}

static void plugin_shutdown(void *state)
{
    free(state);
}

static const crm_plugin_descriptor descriptor = {
    .magic = CRM_PLUGIN_MAGIC,
    .abi_major = CRM_PLUGIN_ABI_MAJOR,
    .abi_minor = CRM_PLUGIN_ABI_MINOR,
    .struct_size = sizeof(crm_plugin_descriptor),
    .kind = CRM_PLUGIN_KIND_ANALYSIS,
    .flags = 0,
    .name = "gaussian-nb",
    .version = "1.0.0",
    .description = "Gaussian naive Bayes classifier (a sample plugin in C)",
    .license = "Apache-2.0",
    .init = plugin_init,
    .call = plugin_call,
    .free_buffer = plugin_free_buffer,
    .shutdown = plugin_shutdown,
};

CRM_PLUGIN_EXPORT const crm_plugin_descriptor *CRM_PLUGIN_ENTRY(void)
{
    return &descriptor;
}
