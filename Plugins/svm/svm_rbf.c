/*
 * RBF-kernel C-SVC as libsvm (scikit-learn's SVC): for each pair of classes
 * (i, j), i < j, the dual problem
 *     min ½ αᵀQα − eᵀα,  0 ≤ α_t ≤ C·w_t,  yᵀα = 0,  Q_st = y_s y_t K(x_s, x_t)
 * over the rows of the two classes (class i is +1), solved by SMO with
 * libsvm's second-order working set selection (Fan, Chen and Lin, 2005),
 * without shrinking, with an LRU cache of kernel rows (at most ~200 MB, as
 * SVC's cache_size). Prediction votes one-vs-one.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svm_plugin.h"

#define TAU 1e-12
#define CACHE_BYTES (200u * 1024u * 1024u)
#define CHECK_EVERY 1000

typedef struct problem {
    size_t l;
    uint32_t n;
    const double **x; /* row pointers */
    const double *sq; /* squared norms */
    const int8_t *y;
    double gamma;
    /* cache */
    float **rows;   /* l pointers, NULL when not cached (floats, as libsvm's Qfloat) */
    uint64_t *used; /* last use of each cached row */
    size_t cached, capacity;
    uint64_t clock;
} problem;

static double kernel(const problem *p, size_t s, size_t t)
{
    const double *a = p->x[s], *b = p->x[t];
    double dot = 0;
    for (uint32_t j = 0; j < p->n; j++) {
        dot += a[j] * b[j];
    }
    double d = p->sq[s] + p->sq[t] - 2 * dot;
    return exp(-p->gamma * (d > 0 ? d : 0));
}

/* Row i of Q, from the cache or computed; NULL when out of memory. */
static const float *q_row(problem *p, size_t i)
{
    p->clock++;
    if (p->rows[i] != NULL) {
        p->used[i] = p->clock;
        return p->rows[i];
    }
    float *row;
    if (p->cached < p->capacity) {
        row = malloc(p->l * sizeof(float));
        if (row == NULL) {
            return NULL;
        }
        p->cached++;
    } else {
        size_t oldest = SIZE_MAX;
        for (size_t t = 0; t < p->l; t++) {
            if (p->rows[t] != NULL && (oldest == SIZE_MAX || p->used[t] < p->used[oldest])) {
                oldest = t;
            }
        }
        row = p->rows[oldest];
        p->rows[oldest] = NULL;
    }
    for (size_t t = 0; t < p->l; t++) {
        row[t] = (float)(p->y[i] * p->y[t] * kernel(p, i, t));
    }
    p->rows[i] = row;
    p->used[i] = p->clock;
    return row;
}

/* Solves one binary problem; alpha (l values) out, *rho out. */
static int solve(problem *p, const double *cost, double *alpha, double *rho, int64_t max_iter, double eps,
    svm_progress_fn progress, void *ctx, double done, int64_t *iterations, int *converged)
{
    const size_t l = p->l;
    const int8_t *y = p->y;
    double *g = malloc(l * sizeof(double));
    double *qd = malloc(l * sizeof(double));
    if (g == NULL || qd == NULL) {
        free(g), free(qd);
        return SVM_NO_MEMORY;
    }
    for (size_t t = 0; t < l; t++) {
        alpha[t] = 0;
        g[t] = -1;
        qd[t] = 1; /* K(x, x) = 1 for the RBF kernel */
    }
    int64_t iter = 0;
    int status = SVM_OK;
    int ok = 0;
    for (;;) {
        if (iter % CHECK_EVERY == 0 && progress != NULL && progress(ctx, done)) {
            status = SVM_CANCELLED;
            break;
        }
        if (max_iter > 0 && iter >= max_iter) {
            break;
        }
        /* select i: max over I_up of −y_t G_t */
        double gmax = -INFINITY;
        size_t i = SIZE_MAX;
        for (size_t t = 0; t < l; t++) {
            if (y[t] == 1) {
                if (alpha[t] < cost[t] && -g[t] >= gmax) {
                    gmax = -g[t];
                    i = t;
                }
            } else if (alpha[t] > 0 && g[t] >= gmax) {
                gmax = g[t];
                i = t;
            }
        }
        double gmax2 = -INFINITY, obj_min = INFINITY;
        size_t j = SIZE_MAX;
        const float *qi = NULL;
        if (i != SIZE_MAX) {
            qi = q_row(p, i);
            if (qi == NULL) {
                status = SVM_NO_MEMORY;
                break;
            }
            for (size_t t = 0; t < l; t++) {
                if (y[t] == 1) {
                    if (alpha[t] > 0) {
                        double diff = gmax + g[t];
                        if (g[t] >= gmax2) gmax2 = g[t];
                        if (diff > 0) {
                            double quad = qd[i] + qd[t] - 2.0 * y[i] * qi[t];
                            double obj = -(diff * diff) / (quad > 0 ? quad : TAU);
                            if (obj <= obj_min) {
                                j = t;
                                obj_min = obj;
                            }
                        }
                    }
                } else if (alpha[t] < cost[t]) {
                    double diff = gmax - g[t];
                    if (-g[t] >= gmax2) gmax2 = -g[t];
                    if (diff > 0) {
                        double quad = qd[i] + qd[t] + 2.0 * y[i] * qi[t];
                        double obj = -(diff * diff) / (quad > 0 ? quad : TAU);
                        if (obj <= obj_min) {
                            j = t;
                            obj_min = obj;
                        }
                    }
                }
            }
        }
        if (i == SIZE_MAX || j == SIZE_MAX || gmax + gmax2 < eps) {
            ok = 1;
            break;
        }
        iter++;
        const float *qj = q_row(p, j);
        qi = q_row(p, i); /* may have been evicted by j */
        if (qi == NULL || qj == NULL) {
            status = SVM_NO_MEMORY;
            break;
        }
        double ci = cost[i], cj = cost[j];
        double old_ai = alpha[i], old_aj = alpha[j];
        if (y[i] != y[j]) {
            double quad = qd[i] + qd[j] + 2 * qi[j];
            if (quad <= 0) quad = TAU;
            double delta = (-g[i] - g[j]) / quad;
            double diff = alpha[i] - alpha[j];
            alpha[i] += delta;
            alpha[j] += delta;
            if (diff > 0) {
                if (alpha[j] < 0) {
                    alpha[j] = 0;
                    alpha[i] = diff;
                }
            } else if (alpha[i] < 0) {
                alpha[i] = 0;
                alpha[j] = -diff;
            }
            if (diff > ci - cj) {
                if (alpha[i] > ci) {
                    alpha[i] = ci;
                    alpha[j] = ci - diff;
                }
            } else if (alpha[j] > cj) {
                alpha[j] = cj;
                alpha[i] = cj + diff;
            }
        } else {
            double quad = qd[i] + qd[j] - 2 * qi[j];
            if (quad <= 0) quad = TAU;
            double delta = (g[i] - g[j]) / quad;
            double sum = alpha[i] + alpha[j];
            alpha[i] -= delta;
            alpha[j] += delta;
            if (sum > ci) {
                if (alpha[i] > ci) {
                    alpha[i] = ci;
                    alpha[j] = sum - ci;
                }
            } else if (alpha[j] < 0) {
                alpha[j] = 0;
                alpha[i] = sum;
            }
            if (sum > cj) {
                if (alpha[j] > cj) {
                    alpha[j] = cj;
                    alpha[i] = sum - cj;
                }
            } else if (alpha[i] < 0) {
                alpha[i] = 0;
                alpha[j] = sum;
            }
        }
        double dai = alpha[i] - old_ai, daj = alpha[j] - old_aj;
        for (size_t t = 0; t < l; t++) {
            g[t] += qi[t] * dai + qj[t] * daj;
        }
    }
    if (status == SVM_OK) {
        /* rho as libsvm's calculate_rho */
        double ub = INFINITY, lb = -INFINITY, sum_free = 0;
        size_t n_free = 0;
        for (size_t t = 0; t < l; t++) {
            double yg = y[t] * g[t];
            if (alpha[t] >= cost[t]) {
                if (y[t] == -1) ub = fmin(ub, yg); else lb = fmax(lb, yg);
            } else if (alpha[t] <= 0) {
                if (y[t] == 1) ub = fmin(ub, yg); else lb = fmax(lb, yg);
            } else {
                n_free++;
                sum_free += yg;
            }
        }
        *rho = n_free > 0 ? sum_free / (double)n_free : (isfinite(ub) && isfinite(lb) ? (ub + lb) / 2 : 0);
    }
    if (iter > *iterations) {
        *iterations = iter;
    }
    if (!ok) {
        *converged = 0;
    }
    free(g), free(qd);
    return status;
}

int svm_fit_rbf(svm_model *model, const double *x, const int32_t *y, const double *weights, size_t n_rows,
    uint32_t n_features, uint32_t n_classes, const svm_params *params, svm_progress_fn progress,
    void *progress_context, int64_t *iterations, int *converged)
{
    memset(model, 0, sizeof *model);
    model->kind = SVM_KIND_RBF;
    model->n_features = n_features;
    model->n_classes = n_classes;
    model->n_models = n_classes * (n_classes - 1) / 2;
    model->gamma = params->gamma;
    *iterations = 0;
    *converged = 1;
    const size_t pairs = model->n_models;
    size_t m = n_rows ? n_rows : 1;
    const double **rows = malloc(m * sizeof(double *));
    double *sq = malloc(m * sizeof(double));
    int8_t *sign = malloc(m);
    double *cost = malloc(m * sizeof(double));
    double *alpha = malloc(m * sizeof(double));
    size_t *member = malloc(m * sizeof(size_t));
    /* per training row of class c, its coefficient against each other class o, in slot o − (o > c): libsvm's
     * (n_classes − 1) × n_rows layout */
    const size_t slots = n_classes - 1;
    double *coef_rows = calloc(slots * m, sizeof(double));
    double *rho = calloc(pairs ? pairs : 1, sizeof(double));
    float **cache = calloc(m, sizeof(float *));
    uint64_t *used = calloc(m, sizeof(uint64_t));
    int status = SVM_OK;
    if (rows == NULL || sq == NULL || sign == NULL || cost == NULL || alpha == NULL || member == NULL ||
        coef_rows == NULL || rho == NULL || cache == NULL || used == NULL) {
        status = SVM_NO_MEMORY;
    }
    size_t p_index = 0;
    for (uint32_t ci = 0; ci < n_classes && status == SVM_OK; ci++) {
        for (uint32_t cj = ci + 1; cj < n_classes && status == SVM_OK; cj++, p_index++) {
            problem p = {0};
            size_t l = 0;
            for (size_t r = 0; r < n_rows; r++) {
                if (y[r] != (int32_t)ci && y[r] != (int32_t)cj) {
                    continue;
                }
                double c = params->C * (weights != NULL ? weights[r] : 1.0);
                if (c <= 0) {
                    continue;
                }
                const double *xr = x + r * n_features;
                double s = 0;
                for (uint32_t f = 0; f < n_features; f++) {
                    s += xr[f] * xr[f];
                }
                rows[l] = xr;
                sq[l] = s;
                sign[l] = y[r] == (int32_t)ci ? 1 : -1;
                cost[l] = c;
                member[l] = r;
                l++;
            }
            size_t positives = 0;
            for (size_t t = 0; t < l; t++) {
                positives += sign[t] == 1;
            }
            if (positives == 0 || positives == l) {
                /* a class without rows: the other one always wins the pair (both empty: class j) */
                rho[p_index] = positives > 0 ? -1.0 : 1.0;
                continue;
            }
            p.l = l;
            p.n = n_features;
            p.x = rows;
            p.sq = sq;
            p.y = sign;
            p.gamma = params->gamma;
            p.rows = cache;
            p.used = used;
            p.capacity = CACHE_BYTES / (l * sizeof(float));
            if (p.capacity < 2) p.capacity = 2;
            if (p.capacity > l) p.capacity = l;
            status = solve(&p, cost, alpha, &rho[p_index], params->max_iter, params->tol, progress, progress_context,
                pairs ? (double)p_index / (double)pairs : 0, iterations, converged);
            for (size_t t = 0; t < l; t++) {
                if (status == SVM_OK && alpha[t] > 0) {
                    uint32_t own = sign[t] == 1 ? ci : cj, other = sign[t] == 1 ? cj : ci;
                    size_t slot = other > own ? other - 1 : other;
                    coef_rows[slot * n_rows + member[t]] = alpha[t] * sign[t];
                }
                free(cache[t]);
                cache[t] = NULL;
                used[t] = 0;
            }
        }
    }
    if (status == SVM_OK) {
        /* the support vectors: rows with a coefficient in any pair */
        size_t n_sv = 0;
        for (size_t r = 0; r < n_rows; r++) {
            member[r] = SIZE_MAX;
            for (size_t q = 0; q < slots; q++) {
                if (coef_rows[q * n_rows + r] != 0) {
                    member[r] = n_sv++;
                    break;
                }
            }
        }
        model->n_sv = (uint32_t)n_sv;
        model->sv = malloc((n_sv ? n_sv : 1) * n_features * sizeof(double));
        model->coef = calloc(pairs * n_sv > 0 ? pairs * n_sv : 1, sizeof(double));
        model->rho = rho;
        rho = NULL;
        if (model->sv == NULL || model->coef == NULL) {
            status = SVM_NO_MEMORY;
        } else {
            for (size_t r = 0; r < n_rows; r++) {
                if (member[r] == SIZE_MAX) {
                    continue;
                }
                memcpy(model->sv + member[r] * n_features, x + r * n_features, n_features * sizeof(double));
                size_t q = 0;
                for (uint32_t i = 0; i < n_classes; i++) {
                    for (uint32_t j = i + 1; j < n_classes; j++, q++) {
                        if (y[r] == (int32_t)i) {
                            model->coef[q * n_sv + member[r]] = coef_rows[(j - 1) * n_rows + r];
                        } else if (y[r] == (int32_t)j) {
                            model->coef[q * n_sv + member[r]] = coef_rows[i * n_rows + r];
                        }
                    }
                }
            }
        }
    }
    free(rows), free(sq), free(sign), free(cost), free(alpha), free(member), free(coef_rows), free(rho);
    free(cache), free(used);
    if (status != SVM_OK) {
        svm_free(model);
    }
    return status;
}
