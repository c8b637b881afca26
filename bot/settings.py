"""The one place that reads the environment (and ``.env``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PARCFERME_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    discord_token: SecretStr | None = Field(default=None)
    database_path: Path = DEFAULT_DATA_DIR / "parcferme.db"
    seasons_dir: Path = DEFAULT_DATA_DIR / "seasons"
    backup_dir: Path = DEFAULT_DATA_DIR / "backups"
    backups_kept: int = 10
    home_guild_id: int | None = None  # synced at start when set
    admin_role_ids: list[int] = Field(default_factory=list)
    announce_channel_id: int | None = None
    api_base_url: str | None = None  # e.g. a local Discord stand-in; None: Discord itself
    log_level: str = "INFO"

    @field_validator("admin_role_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(v) for v in value.replace(",", " ").split()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("home_guild_id", "announce_channel_id", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def token(self) -> str | None:
        if self.discord_token is None:
            return None
        value = self.discord_token.get_secret_value().strip()
        return value or None
