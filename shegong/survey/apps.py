from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "shegong.survey"
    label = "survey"
    verbose_name = "知晓度调查"
    campaign_kpis = {"awareness_rate": "shegong.survey.selectors.kpi_awareness_rate"}

    def seed_demo(self, demo: dict) -> None:
        from .demo import seed

        seed(demo)
