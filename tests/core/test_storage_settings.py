import runpy
from pathlib import Path

SETTINGS = Path(__file__).resolve().parents[2] / "hirfa" / "settings.py"


def test_documents_are_stored_locally_by_default(monkeypatch, tmp_path):
    monkeypatch.setenv("HIRFA_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("MEDIA_STORAGE", raising=False)
    settings = runpy.run_path(str(SETTINGS))
    assert settings["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")


def test_an_s3_compatible_private_bucket_can_hold_the_documents(monkeypatch, tmp_path):
    monkeypatch.setenv("HIRFA_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    monkeypatch.setenv("S3_BUCKET", "rna-documents")
    monkeypatch.setenv("S3_ENDPOINT_URL", "https://minio.rna.internal")
    settings = runpy.run_path(str(SETTINGS))
    storage = settings["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "rna-documents"
    assert storage["OPTIONS"]["default_acl"] == "private"
