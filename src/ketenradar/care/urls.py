from django.urls import path

from ketenradar.care import views

app_name = "care"
# The steps on a case page, each its own URL (Dutch, like every path).
STEP_PATHS = {
    "team_add": "team-toevoegen",
    "team_end": "team-beeindigen",
    "coordinator": "regisseur",
    "condition_add": "voorwaarde",
    "condition_status": "voorwaarde-status",
    "analysis": "analyse",
    "goal_add": "doel",
    "goal_status": "doel-status",
    "action_add": "actie",
    "action_status": "actie-status",
    "plan_approve": "plan-vaststellen",
    "evaluation_plan": "evaluatie-plannen",
    "evaluation_record": "evaluatie-vastleggen",
    "safety": "veiligheid",
    "phase": "fase",
    "close": "afsluiten",
    "escalate": "opschalen",
    "escalation_resolve": "opschaling-afhandelen",
    "screening_offer": "traumascreening",
    "screening_outcome": "traumascreening-uitkomst",
    "refusal": "hulp-geweigerd",
}
urlpatterns = [
    path("", views.case_list, name="list"),
    path("escalaties/", views.escalations, name="escalations"),
    path("nieuw/<uuid:uuid>/", views.case_open, name="open"),
    path("overdracht/<uuid:uuid>/", views.case_handover, name="handover"),
    path("<uuid:uuid>/", views.case_detail, name="detail"),
    *(
        path(f"<uuid:uuid>/{STEP_PATHS[step]}/", views.case_step, {"step": step}, name=step)
        for step in views.STEPS
    ),
]
