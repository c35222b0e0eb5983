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
// netdom resetpwd and verify (netdom.cc).
void RegisterNetdom(Shell& shell);
// Reset-ComputerMachinePassword, Test-ComputerSecureChannel, Remove-Computer,
// Add-Computer (computer_cmdlets.cc).
void RegisterComputerCmdlets(Shell& shell);
// setspn, ldifde, dsmod, Get-ADComputer, Disable-/Enable-ADAccount,
// Remove-ADComputer (directory.cc).
void RegisterDirectoryCommands(Shell& shell);
// w32tm, klist, Get-WinEvent, wevtutil (diagnostics.cc).
void RegisterDiagnosticCommands(Shell& shell);

}  // namespace trustsim::sim::tools

#endif  // TRUSTSIM_SIM_TOOLS_COMMANDS_H_
