fn main() {
    ikd_web::start();
}
