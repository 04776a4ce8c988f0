//! A real SMTP server on loopback (mailin-embedded) that keeps every message it receives.

use mailin_embedded::{response, Handler, Response, Server};
use std::sync::{Arc, Mutex};

/// A received email: envelope and raw RFC 5322 text.
#[derive(Clone, Debug)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

#[derive(Clone)]
struct Collect {
    mails: Arc<Mutex<Vec<Mail>>>,
    current: Option<Mail>,
}

impl Handler for Collect {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(Mail {
            from: from.to_string(),
            to: to.to_vec(),
            data: String::new(),
        });
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(mail) = &mut self.current {
            mail.data.push_str(&String::from_utf8_lossy(buf));
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(mail) = self.current.take() {
            self.mails.lock().expect("lock").push(mail);
        }
        response::OK
    }
}

/// The running server (it lives until the test process ends).
pub struct SmtpServer {
    pub port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpServer {
    /// Starts on a free loopback port.
    pub fn start() -> SmtpServer {
        let mails = Arc::new(Mutex::new(Vec::new()));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let mut server = Server::new(Collect {
            mails: mails.clone(),
            current: None,
        });
        server
            .with_name("smtp.test")
            .with_num_threads(2)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        SmtpServer { port, mails }
    }

    /// Every email received so far.
    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().expect("lock").clone()
    }

    /// The practice's channel settings pointing at this server.
    pub fn channel_config(&self) -> serde_json::Value {
        serde_json::json!({
            "transport": "smtp",
            "host": "127.0.0.1",
            "port": self.port,
            "security": "none",
            "from": "Brightside Dental <hello@brightside.example>",
        })
    }
}
