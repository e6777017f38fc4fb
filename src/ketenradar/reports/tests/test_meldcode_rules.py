from ketenradar.reports.meldcode import Answers, weigh


def test_no_suspicion_no_report() -> None:
    assert weigh(Answers(suspicion=False, acute=True, structural=True)).advice == "geen_vermoeden"


def test_acute_or_structural_unsafety_is_meldnorm_1_answered_with_veilig_thuis() -> None:
    for acute, structural in ((True, False), (False, True), (True, True)):
        w = weigh(Answers(suspicion=True, acute=acute, structural=structural, can_offer_help=True))
        assert (w.norms, w.must_report, w.with_veilig_thuis) == ((1,), True, True)


def test_no_effective_help_is_meldnorm_2() -> None:
    w = weigh(
        Answers(True, False, False, can_offer_help=False, help_accepted=True, leads_to_safety=True)
    )
    assert (w.norms, w.advice) == ((2,), "melden")
    w = weigh(
        Answers(True, False, False, can_offer_help=True, help_accepted=False, leads_to_safety=True)
    )
    assert w.norms == (2,)


def test_unsafety_that_does_not_stop_is_meldnorm_3() -> None:
    w = weigh(
        Answers(True, False, False, can_offer_help=True, help_accepted=True, leads_to_safety=False)
    )
    assert (w.norms, w.must_report) == ((3,), True)


def test_help_that_works_means_organising_help() -> None:
    w = weigh(
        Answers(True, False, False, can_offer_help=True, help_accepted=True, leads_to_safety=True)
    )
    assert (w.must_report, w.advice) == (False, "hulp_organiseren")


def test_unanswered_questions_are_not_a_conclusion() -> None:
    assert weigh(Answers(True, False, False, can_offer_help=True)).advice == "nog_beantwoorden"
