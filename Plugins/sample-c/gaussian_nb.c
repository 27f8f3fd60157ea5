/*
 * Gaussian naive Bayes (see include/gaussian_nb.h). Follows scikit-learn's
 * GaussianNB: per-class weighted means and variances, every variance
 * increased by var_smoothing × the largest feature variance, joint log
 * likelihoods turned into probabilities with log-sum-exp.
 */
#include "gaussian_nb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GNB_MAGIC "GNB1"
#define GNB_HEADER_SIZE 12
#define GNB_LOG_2PI 1.83787706640934548356

static int allocate(gnb_model *model, uint32_t n_classes, uint32_t n_features)
{
    size_t cells = (size_t)n_classes * n_features;
    model->n_classes = n_classes;
    model->n_features = n_features;
    model->log_prior = calloc(n_classes ? n_classes : 1, sizeof(double));
    model->theta = calloc(cells ? cells : 1, sizeof(double));
    model->var = calloc(cells ? cells : 1, sizeof(double));
    model->epsilon = 0;
    if (model->log_prior == NULL || model->theta == NULL || model->var == NULL) {
        gnb_free(model);
        return -1;
    }
    return 0;
}

void gnb_free(gnb_model *model)
{
    free(model->log_prior);
    free(model->theta);
    free(model->var);
    model->log_prior = model->theta = model->var = NULL;
}

int gnb_fit(gnb_model *model, const double *x, const int32_t *y, const double *weights, size_t n_rows,
    uint32_t n_features, uint32_t n_classes, double var_smoothing, const double *priors,
    gnb_progress_fn progress, void *progress_context)
{
    if (allocate(model, n_classes, n_features) != 0) {
        return GNB_NO_MEMORY;
    }
    double *class_weight = calloc(n_classes ? n_classes : 1, sizeof(double));
    double *column_mean = calloc(n_features ? n_features : 1, sizeof(double));
    if (class_weight == NULL || column_mean == NULL) {
        free(class_weight);
        free(column_mean);
        gnb_free(model);
        return GNB_NO_MEMORY;
    }

    /* epsilon: var_smoothing × the largest (unweighted) variance of a feature. */
    double largest_variance = 0;
    for (size_t r = 0; r < n_rows; r++) {
        for (uint32_t f = 0; f < n_features; f++) {
            column_mean[f] += x[r * n_features + f];
        }
    }
    for (uint32_t f = 0; f < n_features && n_rows > 0; f++) {
        column_mean[f] /= (double)n_rows;
        double sum = 0;
        for (size_t r = 0; r < n_rows; r++) {
            double d = x[r * n_features + f] - column_mean[f];
            sum += d * d;
        }
        if (sum / (double)n_rows > largest_variance) {
            largest_variance = sum / (double)n_rows;
        }
    }
    model->epsilon = var_smoothing * largest_variance;

    /* Weighted means, then weighted variances, per class. */
    for (size_t r = 0; r < n_rows; r++) {
        if (progress != NULL && r % 4096 == 0 && progress(progress_context, 0.5 * (double)r / (double)n_rows)) {
            free(class_weight);
            free(column_mean);
            gnb_free(model);
            return GNB_CANCELLED;
        }
        double w = weights ? weights[r] : 1.0;
        double *theta = model->theta + (size_t)y[r] * n_features;
        class_weight[y[r]] += w;
        for (uint32_t f = 0; f < n_features; f++) {
            theta[f] += w * x[r * n_features + f];
        }
    }
    for (uint32_t k = 0; k < n_classes; k++) {
        for (uint32_t f = 0; f < n_features && class_weight[k] > 0; f++) {
            model->theta[(size_t)k * n_features + f] /= class_weight[k];
        }
    }
    for (size_t r = 0; r < n_rows; r++) {
        if (progress != NULL && r % 4096 == 0 && progress(progress_context, 0.5 + 0.5 * (double)r / (double)n_rows)) {
            free(class_weight);
            free(column_mean);
            gnb_free(model);
            return GNB_CANCELLED;
        }
        double w = weights ? weights[r] : 1.0;
        const double *theta = model->theta + (size_t)y[r] * n_features;
        double *var = model->var + (size_t)y[r] * n_features;
        for (uint32_t f = 0; f < n_features; f++) {
            double d = x[r * n_features + f] - theta[f];
            var[f] += w * d * d;
        }
    }

    double total_weight = 0;
    for (uint32_t k = 0; k < n_classes; k++) {
        total_weight += class_weight[k];
    }
    for (uint32_t k = 0; k < n_classes; k++) {
        double *var = model->var + (size_t)k * n_features;
        for (uint32_t f = 0; f < n_features; f++) {
            var[f] = (class_weight[k] > 0 ? var[f] / class_weight[k] : 1.0) + model->epsilon;
            if (var[f] <= 0) {
                var[f] = 1e-300; /* a constant feature and var_smoothing 0 */
            }
        }
        double prior = priors ? priors[k] : (total_weight > 0 ? class_weight[k] / total_weight : 0);
        model->log_prior[k] = (class_weight[k] > 0 && prior > 0) ? log(prior) : -INFINITY;
    }
    free(class_weight);
    free(column_mean);
    return GNB_OK;
}

int32_t gnb_predict_row(const gnb_model *model, const double *x, double *probabilities)
{
    const uint32_t n_features = model->n_features;
    int32_t best = 0;
    double top = -INFINITY;
    for (uint32_t k = 0; k < model->n_classes; k++) {
        double jll = model->log_prior[k];
        if (isfinite(jll)) {
            const double *theta = model->theta + (size_t)k * n_features;
            const double *var = model->var + (size_t)k * n_features;
            for (uint32_t f = 0; f < n_features; f++) {
                double d = x[f] - theta[f];
                jll -= 0.5 * (GNB_LOG_2PI + log(var[f]) + d * d / var[f]);
            }
        }
        probabilities[k] = jll;
        if (jll > top) {
            top = jll;
            best = (int32_t)k;
        }
    }
    double total = 0;
    for (uint32_t k = 0; k < model->n_classes; k++) {
        probabilities[k] = isfinite(top) ? exp(probabilities[k] - top) : 1.0;
        total += probabilities[k];
    }
    for (uint32_t k = 0; k < model->n_classes; k++) {
        probabilities[k] /= total;
    }
    return best;
}

uint8_t *gnb_serialize(const gnb_model *model, size_t *length)
{
    size_t cells = (size_t)model->n_classes * model->n_features;
    size_t doubles = 1 + model->n_classes + 2 * cells;
    *length = GNB_HEADER_SIZE + doubles * sizeof(double);
    uint8_t *bytes = malloc(*length);
    if (bytes == NULL) {
        return NULL;
    }
    uint8_t *p = bytes;
    memcpy(p, GNB_MAGIC, 4);
    memcpy(p + 4, &model->n_classes, 4);
    memcpy(p + 8, &model->n_features, 4);
    p += GNB_HEADER_SIZE;
    memcpy(p, &model->epsilon, sizeof(double));
    p += sizeof(double);
    memcpy(p, model->log_prior, model->n_classes * sizeof(double));
    p += model->n_classes * sizeof(double);
    memcpy(p, model->theta, cells * sizeof(double));
    p += cells * sizeof(double);
    memcpy(p, model->var, cells * sizeof(double));
    return bytes;
}

int gnb_deserialize(gnb_model *model, const uint8_t *bytes, size_t length)
{
    uint32_t n_classes, n_features;
    if (bytes == NULL || length < GNB_HEADER_SIZE || memcmp(bytes, GNB_MAGIC, 4) != 0) {
        return -1;
    }
    memcpy(&n_classes, bytes + 4, 4);
    memcpy(&n_features, bytes + 8, 4);
    size_t cells = (size_t)n_classes * n_features;
    if (n_classes == 0 || n_classes > (1u << 20) || n_features > (1u << 24)
        || length != GNB_HEADER_SIZE + (1 + n_classes + 2 * cells) * sizeof(double)) {
        return -1;
    }
    if (allocate(model, n_classes, n_features) != 0) {
        return -1;
    }
    const uint8_t *p = bytes + GNB_HEADER_SIZE;
    memcpy(&model->epsilon, p, sizeof(double));
    p += sizeof(double);
    memcpy(model->log_prior, p, n_classes * sizeof(double));
    p += n_classes * sizeof(double);
    memcpy(model->theta, p, cells * sizeof(double));
    p += cells * sizeof(double);
    memcpy(model->var, p, cells * sizeof(double));
    return 0;
}
