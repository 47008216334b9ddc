#ifndef CLIBPQ_SHIM_H
#define CLIBPQ_SHIM_H

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <postgresql/libpq-fe.h> /* Debian's libpq-dev; its own includes are found beside it */

/*
 * libpq is loaded when a PostgreSQL database is first opened, not when the program starts: it
 * brings in some twenty libraries (OpenSSL, GnuTLS, Kerberos, LDAP), which every start would
 * otherwise map and relocate, and which a machine whose stores are all SQLite need not have.
 * The header's declarations give the functions' types; the program links none of them.
 */

/* The libpq functions the PostgreSQL adapters call, found in libpq.so.5. */
typedef struct {
    __typeof__(PQconnectdbParams) *_Nonnull connectdbParams;
    __typeof__(PQstatus) *_Nonnull status;
    __typeof__(PQerrorMessage) *_Nonnull errorMessage;
    __typeof__(PQfinish) *_Nonnull finish;
    __typeof__(PQconninfoParse) *_Nonnull conninfoParse;
    __typeof__(PQconninfoFree) *_Nonnull conninfoFree;
    __typeof__(PQfreemem) *_Nonnull freemem;
    __typeof__(PQexec) *_Nonnull exec;
    __typeof__(PQexecParams) *_Nonnull execParams;
    __typeof__(PQclear) *_Nonnull clear;
    __typeof__(PQresultStatus) *_Nonnull resultStatus;
    __typeof__(PQresultErrorField) *_Nonnull resultErrorField;
    __typeof__(PQresultErrorMessage) *_Nonnull resultErrorMessage;
    __typeof__(PQntuples) *_Nonnull ntuples;
    __typeof__(PQgetisnull) *_Nonnull getisnull;
    __typeof__(PQftype) *_Nonnull ftype;
    __typeof__(PQgetvalue) *_Nonnull getvalue;
    __typeof__(PQgetlength) *_Nonnull getlength;
} CLibPQFunctions;

/* What loading libpq gave: its functions, or why it failed. */
typedef struct {
    CLibPQFunctions functions;
    const CLibPQFunctions *loaded;
    char *failure;
} CLibPQState;

static inline CLibPQState *clibpq_state(void) {
    static CLibPQState state;
    return &state;
}

static inline void clibpq_load_once(void) {
    CLibPQState *state = clibpq_state();
    void *library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *message = dlerror();
        state->failure = strdup(message != NULL ? message : "libpq.so.5 could not be loaded");
        return;
    }
#define CLIBPQ_FIND(field, name)                                                                   \
    if ((*(void **)&state->functions.field = dlsym(library, #name)) == NULL) {                     \
        state->failure = strdup("libpq.so.5 has no " #name);                                       \
        return;                                                                                    \
    }
    CLIBPQ_FIND(connectdbParams, PQconnectdbParams)
    CLIBPQ_FIND(status, PQstatus)
    CLIBPQ_FIND(errorMessage, PQerrorMessage)
    CLIBPQ_FIND(finish, PQfinish)
    CLIBPQ_FIND(conninfoParse, PQconninfoParse)
    CLIBPQ_FIND(conninfoFree, PQconninfoFree)
    CLIBPQ_FIND(freemem, PQfreemem)
    CLIBPQ_FIND(exec, PQexec)
    CLIBPQ_FIND(execParams, PQexecParams)
    CLIBPQ_FIND(clear, PQclear)
    CLIBPQ_FIND(resultStatus, PQresultStatus)
    CLIBPQ_FIND(resultErrorField, PQresultErrorField)
    CLIBPQ_FIND(resultErrorMessage, PQresultErrorMessage)
    CLIBPQ_FIND(ntuples, PQntuples)
    CLIBPQ_FIND(getisnull, PQgetisnull)
    CLIBPQ_FIND(ftype, PQftype)
    CLIBPQ_FIND(getvalue, PQgetvalue)
    CLIBPQ_FIND(getlength, PQgetlength)
#undef CLIBPQ_FIND
    state->loaded = &state->functions;
}

/* libpq's functions, loaded by the first call from any thread; NULL when libpq.so.5 or one of its
 * functions cannot be found, with `*failure` set to the reason. Each file that calls a static
 * inline function has its own copy of its state, so one Swift file calls it (LibPQ.swift). */
static inline const CLibPQFunctions *_Nullable clibpq_load(const char *_Nullable *_Nonnull failure) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, clibpq_load_once);
    *failure = clibpq_state()->failure;
    return clibpq_state()->loaded;
}

#endif
