/*
 * Gaussian naive Bayes, as scikit-learn's sklearn.naive_bayes.GaussianNB:
 * the math of the sample C plugin, free of the plugin ABI.
 */
#ifndef GAUSSIAN_NB_H
#define GAUSSIAN_NB_H

#include <stddef.h>
#include <stdint.h>

/* Internal to the plugin library: only crm_plugin_entry is exported. */
#define GNB_INTERNAL __attribute__((visibility("hidden")))

/* A trained model: per class its log prior, and per class and feature the
 * mean and variance. A class without training rows has log_prior -INFINITY
 * and is never predicted. */
typedef struct gnb_model {
    uint32_t n_classes;
    uint32_t n_features;
    double *log_prior;  /* n_classes */
    double *theta;      /* n_classes × n_features, row-major */
    double *var;        /* n_classes × n_features, row-major */
    double epsilon;     /* the variance added to every variance */
} gnb_model;

/* Called every few thousand rows with the fraction done; returns non-zero to
 * stop (cancellation). */
typedef int (*gnb_progress_fn)(void *context, double fraction);

enum {
    GNB_OK = 0,
    GNB_CANCELLED = 1,
    GNB_NO_MEMORY = 2,
};

/* Fits `model` to `n_rows` × `n_features` row-major values `x` with labels
 * `y` (each < n_classes) and optional `weights` (NULL: all 1). `priors`
 * (n_classes values summing to 1) replaces the class frequencies when not
 * NULL. Returns GNB_OK, GNB_CANCELLED or GNB_NO_MEMORY; on failure the model
 * holds nothing to free. */
GNB_INTERNAL int gnb_fit(gnb_model *model, const double *x, const int32_t *y, const double *weights, size_t n_rows,
    uint32_t n_features, uint32_t n_classes, double var_smoothing, const double *priors,
    gnb_progress_fn progress, void *progress_context);

/* Predicts row `x` (n_features values): writes the probability of each class
 * to `probabilities` (n_classes values) and returns the most probable
 * class. */
GNB_INTERNAL int32_t gnb_predict_row(const gnb_model *model, const double *x, double *probabilities);

/* The model as bytes ("GNB1", counts, then the arrays as little-endian
 * doubles), malloc'd; NULL when out of memory. */
GNB_INTERNAL uint8_t *gnb_serialize(const gnb_model *model, size_t *length);

/* Reads bytes from gnb_serialize into `model`. Returns 0, or -1 when they
 * are not such a model. */
GNB_INTERNAL int gnb_deserialize(gnb_model *model, const uint8_t *bytes, size_t length);

/* Frees the model's arrays. */
GNB_INTERNAL void gnb_free(gnb_model *model);

#endif /* GAUSSIAN_NB_H */
