# The native module (Rust, pyo3). Private: use the facade.
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple, Union

Reply = Tuple[int, str, List[Tuple[str, str]], bytes, Optional[str], int]

class Client:
    def __init__(self, settings: Dict[str, Any]) -> None: ...
    def configure(self, settings: Dict[str, Any]) -> None: ...
    def settings(self) -> Dict[str, Any]: ...
    def login(self, grant: str, args: List[str], aio: bool = ...) -> Any: ...
    def set_access_token(self, token: str, expires_in: Optional[float] = ...) -> None: ...
    def auth_data(self) -> Optional[Dict[str, Any]]: ...
    def logout(self) -> None: ...
    def authorize_url(
        self,
        client_id: str,
        redirect_uri: str,
        response_type: str,
        state: Optional[str] = ...,
        code_challenge: Optional[str] = ...,
        org: Optional[str] = ...,
        provider: Optional[str] = ...,
        target: Optional[str] = ...,
        login_hint: Optional[str] = ...,
        prompt: Optional[str] = ...,
    ) -> Tuple[str, str]: ...
    def login_implicit(self, redirect_url: str, expected_state: Optional[str] = ...) -> Dict[str, Any]: ...
    def set_token_callback(self, callback: Optional[Callable[[Dict[str, Any]], Any]]) -> None: ...
    def set_request_hook(
        self,
        hook: Optional[
            Callable[
                [Optional[str], str, str, List[Tuple[str, str]], Optional[bytes]],
                Union[Tuple[str, List[Tuple[str, str]], Optional[bytes]], str],
            ]
        ],
    ) -> None: ...
    def set_response_hook(
        self,
        hook: Optional[
            Callable[
                [
                    Optional[str],
                    str,
                    str,
                    int,
                    Optional[int],
                    str,
                    List[Tuple[str, str]],
                    bytes,
                    Optional[str],
                    Optional[Tuple[str, str]],
                ],
                Optional[str],
            ]
        ],
    ) -> None: ...
    def call(
        self,
        operation_id: str,
        params_json: str,
        headers: List[Tuple[str, str]] = ...,
        aio: bool = ...,
        decode: bool = ...,
    ) -> Any: ...
    def request(
        self,
        method: str,
        path: str,
        query: List[Tuple[str, str]],
        headers: List[Tuple[str, str]],
        body: Any = ...,
        auth: bool = ...,
        aio: bool = ...,
    ) -> Union[Reply, Tuple[Awaitable[Reply], Callable[[], None]]]: ...
    def reload_config_file(self) -> None: ...
    def config_file_error(self) -> Optional[str]: ...

def build_request(operation_id: str, params_json: str) -> Tuple[str, str, List[Tuple[str, str]], List[Tuple[str, str]], Any, bool]: ...
def operation_info(operation_id: str) -> Tuple[str, str, Optional[str], bool]: ...
def generate_code_verifier(length: Optional[float] = ...) -> str: ...
def compute_code_challenge(verifier: str) -> str: ...
def parse_code_redirect(redirect_url: str, expected_state: Optional[str] = ...) -> str: ...
def regions() -> List[Tuple[str, str]]: ...
def runtime_started() -> bool: ...
def preview_settings(settings: Dict[str, Any], transport: bool = ...) -> Dict[str, Any]: ...
def redact_url(url: str) -> str: ...
def is_secret_header(name: str) -> bool: ...
def _panic_for_tests(place: str) -> Any: ...

__version__: str
