// Open MPI's C API for Swift: its handles (MPI_COMM_WORLD, MPI_DOUBLE, MPI_SUM, …) are macros
// over global objects, which Swift cannot import, so they come through these inline functions.
#include <mpi.h>

static inline MPI_Comm td_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype td_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype td_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Op td_mpi_sum(void) { return MPI_SUM; }
static inline void *td_mpi_in_place(void) { return MPI_IN_PLACE; }
