"""Runtime fixes for moto 5.2.1, applied by ../launcher.py before the server starts.

Each module fixes one moto gap (its docstring names the bug and why it matters) by
monkeypatching moto internals; moto's installed files are never edited. They touch
private code, so the launcher refuses any moto version but MOTO_VERSION.
"""

from . import (
    batch_fidelity,
    batch_jobs,
    batch_races,
    batch_strict,
    batch_update_rules,
    cfn_ownership,
    cfn_state_machine,
    iam_policies,
    moto_reset,
    pipes_update,
    sfn_batch_integration,
    sfn_executions,
    sfn_express,
    sfn_parser_scope,
    sfn_revisions,
    sfn_validate,
    ssm_atomic,
)

MOTO_VERSION = "5.2.1"


def apply_all() -> None:
    sfn_batch_integration.apply()  # fix 1
    sfn_executions.apply()  # fixes 2, 3, 7, 8
    sfn_revisions.apply()  # fixes 9, 10
    sfn_validate.apply()  # fix 13
    sfn_parser_scope.apply()  # fix 14
    cfn_state_machine.apply()  # fix 6
    batch_fidelity.apply()  # fixes 11, 12
    batch_jobs.apply()  # fix 5 (+ queue deletion ends jobs)
    batch_strict.apply()  # fix 4; wraps the two above, so it goes last
    batch_races.apply()  # fix 15
    batch_update_rules.apply()  # fix 16; wraps batch_fidelity's describe
    sfn_express.apply()  # fix 17; wraps sfn_executions' describe_execution
    iam_policies.apply()  # fix 18
    ssm_atomic.apply()  # fix 19
    pipes_update.apply()  # fix 21
    cfn_ownership.apply()  # fix 22
    moto_reset.apply()
