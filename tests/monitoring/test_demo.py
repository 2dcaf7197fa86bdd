"""The demo's project in operation: indicators with several years of measurements."""

from assessments.dataops.demo import seed_demo
from assessments.models import Indicator, StageAssessment
from assessments.monitoring import queries
from assessments.scoring.monitoring import Status


def test_demo_sports_hub_has_years_of_measurements_and_every_status(reference):
    seed_demo()
    seed_demo()  # idempotent
    hub = Indicator.objects.filter(project__reference="GCC-SH-007")
    assert hub.count() == 4 and hub.first().project.current_stage.code == "OPERATION"
    statuses = {
        row.indicator.name: row.status.status
        for row in queries.indicator_rows([hub.first().project])
    }
    assert set(statuses.values()) >= {Status.ON_TRACK, Status.OFF_TRACK, Status.NO_DATA_DUE}
    visits = hub.get(name__startswith="Visits")
    dates = [m.measured_on for m in visits.measurements.all()]
    assert (max(dates) - min(dates)).days > 3 * 365
    assert "F9" in StageAssessment.objects.get(project__reference="GCC-SH-007").open_flags
