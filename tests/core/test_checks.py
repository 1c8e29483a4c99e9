"""`manage.py check --deploy` warns when the cache is not shared between server processes."""

from django.test import override_settings

from core.checks import check_shared_cache


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_a_per_process_cache_is_a_deploy_warning():
    [warning] = check_shared_cache()
    assert warning.id == "core.W001" and "REDIS_URL" in warning.hint


@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://h:6379/0"}}
)
def test_redis_passes():
    assert check_shared_cache() == []
