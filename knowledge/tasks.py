import logging

from celery import shared_task

from knowledge import personal_data

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def privacy_retention() -> dict:
    """Daily: anonymise inactive contacts, purge old mail bodies and dietary needs."""
    result = personal_data.retention_run()
    logger.info("Retention: %s", result)
    return result
