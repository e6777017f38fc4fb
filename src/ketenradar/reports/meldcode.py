"""The meldcode's afwegingskader (mandatory since 1 January 2019; MISSION.md section 3):
five questions and three meldnormen. Pure functions, so the rules are tested on their own.

Questions: (1) is there a suspicion? (2) is there acute or structural unsafety? (if yes:
melden, and questions 3-5 are answered together with Veilig Thuis) (3) can I offer or
organise sufficient help? (4) do those involved accept it? (5) does it lead to the desired
result (safety)?
Meldnormen: report whenever there is acute or structural unsafety (1); when you cannot
offer effective help yourself (2); when unsafety does not stop or recurs (3).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Answers:
    suspicion: bool
    acute: bool
    structural: bool
    can_offer_help: bool | None = None
    help_accepted: bool | None = None
    leads_to_safety: bool | None = None


@dataclass(frozen=True)
class Weighing:
    norms: tuple[int, ...]  # the meldnormen that apply (1, 2, 3)
    must_report: bool
    with_veilig_thuis: bool  # questions 3-5 are answered together with Veilig Thuis
    advice: str  # "geen_vermoeden", "melden", "hulp_organiseren", "nog_beantwoorden"


def weigh(answers: Answers) -> Weighing:
    if not answers.suspicion:
        return Weighing((), must_report=False, with_veilig_thuis=False, advice="geen_vermoeden")
    norms: list[int] = []
    if answers.acute or answers.structural:
        norms.append(1)
        return Weighing(tuple(norms), must_report=True, with_veilig_thuis=True, advice="melden")
    if answers.can_offer_help is False or answers.help_accepted is False:
        norms.append(2)
    if answers.leads_to_safety is False:
        norms.append(3)
    if norms:
        return Weighing(tuple(norms), must_report=True, with_veilig_thuis=False, advice="melden")
    if None in (answers.can_offer_help, answers.help_accepted, answers.leads_to_safety):
        return Weighing((), must_report=False, with_veilig_thuis=False, advice="nog_beantwoorden")
    return Weighing((), must_report=False, with_veilig_thuis=False, advice="hulp_organiseren")
