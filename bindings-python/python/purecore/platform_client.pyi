from typing import Any, Dict, Generic, Iterable, List, Optional, TypeVar, Union

from ._configuration import Configuration
from .api_client import ApiClient
from .logger import LogLevel
from .purecloud_region_hosts import PureCloudRegionHosts
from .rest import RESTResponse

_T = TypeVar("_T")

class RetryPolicy:
    max_retries: Optional[int]
    initial_delay_ms: Optional[float]
    max_delay_ms: Optional[float]
    retry_status_codes: Optional[List[int]]
    def __init__(
        self,
        max_retries: Optional[int] = ...,
        initial_delay_ms: Optional[float] = ...,
        max_delay_ms: Optional[float] = ...,
        retry_status_codes: Optional[Iterable[int]] = ...,
    ) -> None: ...

class ApiResponse(Generic[_T]):
    body: _T
    raw: RESTResponse
    status: int
    headers: Dict[str, str]
    correlation_id: Optional[str]
    @property
    def status_code(self) -> int: ...

class PureCloudPlatformClientV2:
    configuration: Configuration
    api_client: ApiClient
    def __init__(self, configuration: Optional[Configuration] = ...) -> None: ...
    def set_environment(self, environment: Union[str, PureCloudRegionHosts]) -> PureCloudPlatformClientV2: ...
    def set_retry_policy(
        self,
        policy: Optional[RetryPolicy] = ...,
        max_retries: Optional[int] = ...,
        initial_delay_ms: Optional[float] = ...,
        max_delay_ms: Optional[float] = ...,
        retry_status_codes: Optional[Iterable[int]] = ...,
    ) -> PureCloudPlatformClientV2: ...
    def get_retry_policy(self) -> RetryPolicy: ...
    def set_authentication_timeout(self, timeout_ms: float) -> PureCloudPlatformClientV2: ...
    def set_log_level(self, level: Union[str, LogLevel]) -> PureCloudPlatformClientV2: ...
    def login_client_credentials(self, client_id: str, client_secret: str) -> PureCloudPlatformClientV2: ...
    def login_saml2_bearer(
        self, client_id: str, client_secret: str, org_name: str, assertion: str
    ) -> PureCloudPlatformClientV2: ...
    def login_code_authorization(
        self, client_id: str, client_secret: str, auth_code: str, redirect_uri: str
    ) -> Dict[str, Any]: ...
    def set_access_token(self, token: Optional[str]) -> PureCloudPlatformClientV2: ...
    @property
    def access_token(self) -> Optional[str]: ...
    def logout(self) -> None: ...
    def call_operation(
        self, operation_id: str, params: Dict[str, Any], headers: Optional[Dict[str, str]] = ...
    ) -> ApiResponse[Any]: ...
