/* OpenCV's BLAS and LAPACK routines, answered by numpy's OpenBLAS.
 *
 * opencv-python's wheel links a 42 MB OpenBLAS (with its own libgfortran) for 19 routines that
 * numpy's bundled OpenBLAS also has. numpy's is built for 64-bit integers and renames its
 * symbols (scipy_cblas_sgemm64_, scipy_sgesv_64_), so this library, installed under the name cv2
 * links, takes OpenCV's 32-bit arguments, widens them and calls numpy's copy.
 * packaging/blas_shim.py builds it with NUMPY_BLAS(name) set to numpy's naming.
 *
 * Character arguments get their Fortran hidden lengths (1) appended; integer arrays LAPACK
 * fills (pivots, the SVD's workspace) are copied through 64-bit buffers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef int64_t i64;

#ifndef NUMPY_BLAS
#error "NUMPY_BLAS(name) must name numpy's OpenBLAS routines"
#endif
#define CB(name) NUMPY_BLAS(cblas_##name)
#define LA(name) NUMPY_BLAS(name##_)

/* Level 3 BLAS: the enums stay int, the sizes widen. */
#define GEMM_REAL(T, name)                                                                      \
    void CB(name)(int, int, int, i64, i64, i64, T, const T *, i64, const T *, i64, T, T *, i64);  \
    void cblas_##name(int order, int ta, int tb, int m, int n, int k, T alpha, const T *a,       \
                      int lda, const T *b, int ldb, T beta, T *c, int ldc) {                     \
        CB(name)(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);                   \
    }
#define GEMM_COMPLEX(name)                                                                       \
    void CB(name)(int, int, int, i64, i64, i64, const void *, const void *, i64, const void *,   \
                  i64, const void *, void *, i64);                                               \
    void cblas_##name(int order, int ta, int tb, int m, int n, int k, const void *alpha,         \
                      const void *a, int lda, const void *b, int ldb, const void *beta, void *c, \
                      int ldc) {                                                                 \
        CB(name)(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);                   \
    }
GEMM_REAL(float, sgemm)
GEMM_REAL(double, dgemm)
GEMM_COMPLEX(cgemm)
GEMM_COMPLEX(zgemm)

/* A 64-bit copy of an int array LAPACK fills; NULL (and info set) when memory runs out. */
static i64 *wide(int count, int *info) {
    i64 *buffer = malloc(sizeof(i64) * (size_t)(count > 0 ? count : 1));
    if (buffer == NULL) *info = -1000;
    return buffer;
}
static void narrow(const i64 *from, int *to, int count) {
    for (int i = 0; i < count; i++) to[i] = (int)from[i];
}

#define GESV(T, p)                                                                               \
    void LA(p##gesv)(i64 *, i64 *, T *, i64 *, i64 *, T *, i64 *, i64 *);                        \
    void p##gesv_(int *n, int *nrhs, T *a, int *lda, int *ipiv, T *b, int *ldb, int *info) {      \
        i64 n_ = *n, nrhs_ = *nrhs, lda_ = *lda, ldb_ = *ldb, info_ = 0;                          \
        i64 *ipiv_ = wide(*n, info);                                                             \
        if (ipiv_ == NULL) return;                                                               \
        LA(p##gesv)(&n_, &nrhs_, a, &lda_, ipiv_, b, &ldb_, &info_);                              \
        narrow(ipiv_, ipiv, *n);                                                                 \
        free(ipiv_);                                                                             \
        *info = (int)info_;                                                                      \
    }
#define GETRF(T, p)                                                                              \
    void LA(p##getrf)(i64 *, i64 *, T *, i64 *, i64 *, i64 *);                                   \
    void p##getrf_(int *m, int *n, T *a, int *lda, int *ipiv, int *info) {                       \
        int count = *m < *n ? *m : *n;                                                           \
        i64 m_ = *m, n_ = *n, lda_ = *lda, info_ = 0;                                            \
        i64 *ipiv_ = wide(count, info);                                                          \
        if (ipiv_ == NULL) return;                                                               \
        LA(p##getrf)(&m_, &n_, a, &lda_, ipiv_, &info_);                                         \
        narrow(ipiv_, ipiv, count);                                                              \
        free(ipiv_);                                                                             \
        *info = (int)info_;                                                                      \
    }
#define POSV(T, p)                                                                               \
    void LA(p##posv)(const char *, i64 *, i64 *, T *, i64 *, T *, i64 *, i64 *, size_t);         \
    void p##posv_(const char *uplo, int *n, int *nrhs, T *a, int *lda, T *b, int *ldb,           \
                  int *info) {                                                                   \
        i64 n_ = *n, nrhs_ = *nrhs, lda_ = *lda, ldb_ = *ldb, info_ = 0;                          \
        LA(p##posv)(uplo, &n_, &nrhs_, a, &lda_, b, &ldb_, &info_, 1);                           \
        *info = (int)info_;                                                                      \
    }
#define POTRF(T, p)                                                                              \
    void LA(p##potrf)(const char *, i64 *, T *, i64 *, i64 *, size_t);                           \
    void p##potrf_(const char *uplo, int *n, T *a, int *lda, int *info) {                        \
        i64 n_ = *n, lda_ = *lda, info_ = 0;                                                     \
        LA(p##potrf)(uplo, &n_, a, &lda_, &info_, 1);                                            \
        *info = (int)info_;                                                                      \
    }
#define GEQRF(T, p)                                                                              \
    void LA(p##geqrf)(i64 *, i64 *, T *, i64 *, T *, T *, i64 *, i64 *);                         \
    void p##geqrf_(int *m, int *n, T *a, int *lda, T *tau, T *work, int *lwork, int *info) {     \
        i64 m_ = *m, n_ = *n, lda_ = *lda, lwork_ = *lwork, info_ = 0;                           \
        LA(p##geqrf)(&m_, &n_, a, &lda_, tau, work, &lwork_, &info_);                            \
        *info = (int)info_;                                                                      \
    }
#define GELS(T, p)                                                                               \
    void LA(p##gels)(const char *, i64 *, i64 *, i64 *, T *, i64 *, T *, i64 *, T *, i64 *,      \
                     i64 *, size_t);                                                             \
    void p##gels_(const char *trans, int *m, int *n, int *nrhs, T *a, int *lda, T *b, int *ldb,  \
                  T *work, int *lwork, int *info) {                                              \
        i64 m_ = *m, n_ = *n, nrhs_ = *nrhs, lda_ = *lda, ldb_ = *ldb, lwork_ = *lwork;          \
        i64 info_ = 0;                                                                           \
        LA(p##gels)(trans, &m_, &n_, &nrhs_, a, &lda_, b, &ldb_, work, &lwork_, &info_, 1);      \
        *info = (int)info_;                                                                      \
    }
#define GESDD(T, p)                                                                              \
    void LA(p##gesdd)(const char *, i64 *, i64 *, T *, i64 *, T *, T *, i64 *, T *, i64 *, T *,  \
                      i64 *, i64 *, i64 *, size_t);                                              \
    void p##gesdd_(const char *jobz, int *m, int *n, T *a, int *lda, T *s, T *u, int *ldu,       \
                   T *vt, int *ldvt, T *work, int *lwork, int *iwork, int *info) {               \
        int count = 8 * (*m < *n ? *m : *n);                                                     \
        i64 m_ = *m, n_ = *n, lda_ = *lda, ldu_ = *ldu, ldvt_ = *ldvt, lwork_ = *lwork;          \
        i64 info_ = 0;                                                                           \
        i64 *iwork_ = wide(count, info);                                                         \
        (void)iwork;                                                                             \
        if (iwork_ == NULL) return;                                                              \
        LA(p##gesdd)(jobz, &m_, &n_, a, &lda_, s, u, &ldu_, vt, &ldvt_, work, &lwork_, iwork_,   \
                     &info_, 1);                                                                 \
        free(iwork_);                                                                            \
        *info = (int)info_;                                                                      \
    }
#define ALL_REAL(T, p) GESV(T, p) GETRF(T, p) POSV(T, p) POTRF(T, p) GEQRF(T, p) GELS(T, p) GESDD(T, p)
ALL_REAL(float, s)
ALL_REAL(double, d)

void LA(dgeev)(const char *, const char *, i64 *, double *, i64 *, double *, double *, double *,
               i64 *, double *, i64 *, double *, i64 *, i64 *, size_t, size_t);
void dgeev_(const char *jobvl, const char *jobvr, int *n, double *a, int *lda, double *wr,
            double *wi, double *vl, int *ldvl, double *vr, int *ldvr, double *work, int *lwork,
            int *info) {
    i64 n_ = *n, lda_ = *lda, ldvl_ = *ldvl, ldvr_ = *ldvr, lwork_ = *lwork, info_ = 0;
    LA(dgeev)(jobvl, jobvr, &n_, a, &lda_, wr, wi, vl, &ldvl_, vr, &ldvr_, work, &lwork_, &info_,
              1, 1);
    *info = (int)info_;
}
