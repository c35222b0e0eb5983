// Copyright 2026 The trustsim Authors.
//
// commands.h
// -----------------------------------------------------------------------------
//
// The command families the shell registers, one file each. docs/commands/
// has a page per command: what is modelled and its source.

#ifndef TRUSTSIM_SIM_TOOLS_COMMANDS_H_
#define TRUSTSIM_SIM_TOOLS_COMMANDS_H_

#include "sim/tools/shell.h"

namespace trustsim::sim::tools {

// logon, logoff, whoami, hostname (session.cc).
void RegisterSessionCommands(Shell& shell);
// nltest (nltest.cc).
void RegisterNltest(Shell& shell);

}  // namespace trustsim::sim::tools

#endif  // TRUSTSIM_SIM_TOOLS_COMMANDS_H_
