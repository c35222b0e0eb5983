// Copyright 2026 The trustsim Authors.
//
// exec_host.h
// -----------------------------------------------------------------------------
//
// Runs scenario `exec:` steps: serves the DCs (served_domain.h) with
// simulated time standing still, writes krb5.conf and every joined member's
// keytab into a fresh private directory, and starts the step's command with
// /bin/sh -c in that environment (docs/scenarios.md lists the variables),
// stdin from /dev/null, in a process group of its own. It collects stdout and
// stderr (up to 4 MiB each) and kills the group at the step's time limit.
// Whatever the program changes on the served DCs stays in the world.

#ifndef TRUSTSIM_CLI_EXEC_HOST_H_
#define TRUSTSIM_CLI_EXEC_HOST_H_

#include "sim/scenario/runner.h"

namespace trustsim::cli {

sim::scenario::ExecHost MakeExecHost();

}  // namespace trustsim::cli

#endif  // TRUSTSIM_CLI_EXEC_HOST_H_
